import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { DEFAULT_MEMORANDUM_FILE, MemorandumError, parseMemorandum } from '../../domain/memorandum.js';
import { DOMAINS } from '../../domain/domains.js';
import { createPartners } from '../../adapters/core/partners.js';
import { loadAdapters } from '../../adapters/registry.js';
import { systemClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/logger.js';

const text = readFileSync(DEFAULT_MEMORANDUM_FILE, 'utf8');
const ADAPTERS = await loadAdapters(parseMemorandum(text));
/** The file's own entries, as written (no defaults applied): what the tests below expect, never a list restated here. */
const RAW: { partners: Array<Record<string, any>> } = parse(text);

/** The checked-in memorandum with one change applied to a parsed copy. */
function edited(change: (m: { partners: Array<Record<string, any>> }) => void): string {
  const raw = parse(text);
  change(raw);
  return stringify(raw);
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof MemorandumError) return error.problems;
    throw error;
  }
  throw new Error('expected a MemorandumError');
}

describe('the memorandum file', () => {
  it('lists the partners the file lists, in its order, each in a declared domain, valid as checked in', () => {
    const memorandum = parseMemorandum(text);
    expect(memorandum.partners.map((p) => [p.id, p.domain])).toEqual(RAW.partners.map((p) => [p.id, p.domain]));
    expect(memorandum.partners.filter((p) => !(DOMAINS as string[]).includes(p.domain)).map((p) => p.id)).toEqual([]);
    // An entry is enabled unless the file says otherwise (a scaffolded entry says `enabled: false`).
    expect(memorandum.partners.map((p) => [p.id, p.enabled])).toEqual(RAW.partners.map((p) => [p.id, p.enabled ?? true]));
  });

  it('names the file, the partner and the field of a wrong ЄДРПОУ', () => {
    expect(problemsOf(() => parseMemorandum(edited((m) => { m.partners[3].edrpou = '42671809'; })))).toEqual([
      'memorandum.yaml: partners[3].edrpou: check digit does not match',
    ]);
  });

  it('reports every broken field at once', () => {
    const broken = edited((m) => {
      m.partners[0].connection.baseUrl = 'ftp://nowhere';
      m.partners[1].domain = 'telecom';
      m.partners[2].joined = '02.03.2026';
      m.partners[4].id = m.partners[5].id;
    });
    expect(problemsOf(() => parseMemorandum(broken))).toEqual([
      'memorandum.yaml: partners[0].connection.baseUrl: must be an http(s) URL',
      `memorandum.yaml: partners[1].domain: Invalid option: expected one of ${DOMAINS.map((d) => `"${d}"`).join('|')}`,
      'memorandum.yaml: partners[2].joined: must be a date, YYYY-MM-DD',
      `memorandum.yaml: partners[5].id: duplicate partner id "${RAW.partners[5].id}"`,
    ]);
  });

  it('checks each partner\'s quota: calls a second above 0, whole calls in flight and burst, nothing else', () => {
    const broken = edited((m) => {
      m.partners[2].connection.quota = { callsPerSecond: 0, inFlight: 2.5 };
      m.partners[4].connection.quota = { callsPerSecond: 20, inFlight: 4, burst: 0, perMinute: 600 };
    });
    expect(problemsOf(() => parseMemorandum(broken))).toEqual([
      'memorandum.yaml: partners[2].connection.quota.callsPerSecond: must be more than 0',
      'memorandum.yaml: partners[2].connection.quota.inFlight: must be a whole number of calls',
      'memorandum.yaml: partners[4].connection.quota.burst: must be at least 1',
      'memorandum.yaml: partners[4].connection.quota: Unrecognized key: "perMinute"',
    ]);
  });

  it('rejects text that is not YAML with the file name', () => {
    expect(problemsOf(() => parseMemorandum('partners: [', 'memorandum.yaml'))[0]).toMatch(/^memorandum\.yaml: not valid YAML: /);
  });

  it('refuses to build a partner whose credential variable is not set, naming the variable', () => {
    const memorandum = parseMemorandum(text);
    // Every variable the file names is set but one: partners[3]'s last credential.
    const missing = Object.entries(memorandum.partners[3].connection.credentials).at(-1)!;
    const env = Object.fromEntries(memorandum.partners.flatMap((p) => Object.values(p.connection.credentials)).filter((v) => v !== missing[1]).map((v) => [v, 'x']));
    expect(problemsOf(() => createPartners({ memorandum, adapters: ADAPTERS, env, log: silentLogger(), clock: systemClock }))).toEqual([
      `memorandum.yaml: partners[3].connection.credentials.${missing[0]}: environment variable ${missing[1]} is not set`,
    ]);
  });

  it('refuses an entry naming an adapter that does not exist', async () => {
    const memorandum = parseMemorandum(edited((m) => { m.partners[4].adapter = 'cadastre-xyz'; }));
    const adapters = await loadAdapters(memorandum);
    expect(problemsOf(() => createPartners({ memorandum, adapters, env: {}, log: silentLogger(), clock: systemClock, domains: ['cadastre'] }))).toEqual([
      'memorandum.yaml: partners[4].adapter: no adapter "cadastre-xyz": adapters/cadastre-xyz/index.ts must default-export defineAdapter({ name: \'cadastre-xyz\', … })',
    ]);
  });

  it('finds each adapter by the name its entry gives, and nothing that is not an adapter', async () => {
    const named = [...new Set(RAW.partners.map((p) => p.adapter as string))].sort();
    expect(Object.keys(await loadAdapters(parseMemorandum(text))).sort()).toEqual(named);
    const odd = parseMemorandum(edited((m) => { m.partners[0].adapter = 'core'; m.partners[1].adapter = 'conformance'; }));
    expect(Object.keys(await loadAdapters(odd)).sort()).toEqual([...new Set(RAW.partners.slice(2).map((p) => p.adapter as string))].sort());
  });
});
