import { DOMAINS } from '../../domain/domains.js';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { scaffoldPartner } from '../../scripts/scaffold/index.js';
import { loadMemorandum, parseMemorandum } from '../../domain/memorandum.js';
import { emulatedPartnerIds, PARTNER_IDS } from '../faults/fault-query.js';
import { projectRoot } from '../../domain/project-root.js';

const root = projectRoot();
let dir: string;

/** A scratch project: copies of the files the scaffold edits, links to the code it compiles against. */
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vikno-scaffold-'));
  mkdirSync(path.join(dir, 'adapters'));
  cpSync(path.join(root, 'memorandum.yaml'), path.join(dir, 'memorandum.yaml'));
  cpSync(path.join(root, 'adapters', 'registry.ts'), path.join(dir, 'adapters', 'registry.ts'));
  for (const link of ['domain', 'platform', 'node_modules', path.join('adapters', 'core')]) symlinkSync(path.join(root, link), path.join(dir, link));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function typeErrors(file: string | string[], types = ['node']): string[] {
  const program = ts.createProgram(([] as string[]).concat(file), {
    strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true, types,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('npm run partner:new', () => {
  it('writes an adapter that compiles, a test to fill and a disabled memorandum entry, and nothing else', () => {
    const written = scaffoldPartner({ root: dir, id: 'water-lviv', domain: 'water', today: '2026-11-22' });
    expect(written).toEqual([
      'adapters/water-lviv/index.ts', 'test/adapters/water-lviv.test.ts', 'test/fixtures/water-lviv/customer.json',
      'memorandum.yaml',
    ]);
    expect(readFileSync(path.join(dir, 'adapters', 'registry.ts'), 'utf8')).toBe(readFileSync(path.join(root, 'adapters', 'registry.ts'), 'utf8'));
    const entry = parseMemorandum(readFileSync(path.join(dir, 'memorandum.yaml'), 'utf8')).partners.at(-1);
    expect(entry).toEqual({
      id: 'water-lviv', name: 'TODO: legal name', edrpou: '00000000', domain: 'water', region: 'TODO: the region you serve',
      joined: '2026-11-22', adapter: 'water-lviv', enabled: false, options: {},
      connection: {
        baseUrl: 'https://partner.example', timeoutMs: 2000, maxBatch: 1, quota: { callsPerSecond: 10, inFlight: 4, burst: 1 },
        credentials: {}, cacheTtlSeconds: { tariffs: 3600 }, maxStaleSeconds: 86_400, breaker: { failures: 5, halfOpenAfterSeconds: 10 },
      },
    });
    expect(typeErrors(path.join(dir, 'adapters', 'water-lviv', 'index.ts'))).toEqual([]);
  }, 60_000);

  it('writes, for a gas partner, an adapter and a test that compile and a disabled entry that loads and stays out of the stack', async () => {
    scaffoldPartner({ root: dir, id: 'gas-lviv', domain: 'gas', today: '2026-11-22' });
    // What the test skeleton compiles against (after the scaffold, which writes into test/), as ES modules.
    cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    symlinkSync(path.join(root, 'test', 'helpers'), path.join(dir, 'test', 'helpers'));
    symlinkSync(path.join(root, 'test', 'adapters', 'harness.ts'), path.join(dir, 'test', 'adapters', 'harness.ts'));
    expect(typeErrors([path.join(dir, 'adapters', 'gas-lviv', 'index.ts'), path.join(dir, 'test', 'adapters', 'gas-lviv.test.ts')], ['node', 'jest'])).toEqual([]);
    const memorandum = await loadMemorandum(path.join(dir, 'memorandum.yaml'));
    expect(memorandum.partners.at(-1)).toMatchObject({ id: 'gas-lviv', domain: 'gas', adapter: 'gas-lviv', enabled: false });
    expect(emulatedPartnerIds(memorandum)).toEqual(PARTNER_IDS);
  }, 60_000);

  it.each(['cadastre', 'vehicles'])('writes a %s adapter skeleton that compiles', (domain) => {
    scaffoldPartner({ root: dir, id: `${domain}-new`, domain, today: '2026-11-22' });
    expect(typeErrors(path.join(dir, 'adapters', `${domain}-new`, 'index.ts'))).toEqual([]);
  }, 60_000);

  it('refuses an id the memorandum already has, a malformed id and an unknown domain, writing nothing', () => {
    const before = readFileSync(path.join(dir, 'memorandum.yaml'), 'utf8');
    expect(() => scaffoldPartner({ root: dir, id: 'gas-kryvyi-rih', domain: 'gas', today: '2026-11-22' })).toThrow('memorandum.yaml already has a partner "gas-kryvyi-rih"');
    expect(() => scaffoldPartner({ root: dir, id: 'Gas_Lviv', domain: 'gas', today: '2026-11-22' })).toThrow('partner id "Gas_Lviv" must be lower-case letters, digits and dashes, e.g. gas-lviv');
    expect(() => scaffoldPartner({ root: dir, id: 'gas-lviv', domain: 'telecom', today: '2026-11-22' })).toThrow(`--domain must be one of ${DOMAINS.join(', ')}, got "telecom"`);
    expect(readFileSync(path.join(dir, 'memorandum.yaml'), 'utf8')).toBe(before);
  });
});
