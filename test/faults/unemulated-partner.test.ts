import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, parseMemorandum, type Memorandum, type PartnerEntry } from '../../domain/memorandum.js';
import { EMULATORS } from '../../emulators/registry.js';
import { gql, startTestStack, type GraphQLResponse } from '../helpers/stack.js';
import { BASELINE, emulatedPartnerIds, FAULT_QUERY, FIELD_OF, PARTNER_IDS, TAX_ID } from './fault-query.js';

/**
 * A partner joining never breaks the suite: an enabled partner no emulator stands in for (a real
 * partner's live URL) is reached at its memorandum baseUrl, where it fails with a typed error, and
 * the tests that need emulators leave it out; a disabled (scaffolded) entry is no part of the stack.
 */

/** A live gas partner, spoken to by an existing gas adapter, at a URL nothing listens on (this test runs without a network). */
const LIVE: PartnerEntry = {
  id: 'gas-live-test', name: 'ТОВ «Газ наживо»', edrpou: '00000000', domain: 'gas', region: 'Україна', joined: '2026-11-22',
  adapter: 'gas-kryvyi-rih', enabled: true, options: {},
  connection: {
    baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000, credentials: { apiKey: 'GAS_LIVE_TEST_API_KEY' }, cacheTtlSeconds: {},
    maxStaleSeconds: 0, retries: 0, breaker: { failures: 5, halfOpenAfterSeconds: 10 },
  },
};

/** The checked-in memorandum with these entries added after its own. */
async function memorandumPlus(...entries: PartnerEntry[]): Promise<Memorandum> {
  const memorandum = await loadMemorandum(DEFAULT_MEMORANDUM_FILE);
  memorandum.partners.push(...entries);
  // As a file would have it: the entries pass the memorandum's own checks.
  return parseMemorandum(JSON.stringify(memorandum));
}

describe('an enabled partner that no emulator stands in for', () => {
  it('is not one of the partners the emulator suites run against', async () => {
    expect(Object.hasOwn(EMULATORS, LIVE.id)).toBe(false);
    const memorandum = await memorandumPlus(LIVE);
    expect(emulatedPartnerIds(memorandum)).toEqual(PARTNER_IDS);
  });

  it('leaves the stack starting, reached at its memorandum baseUrl and failing with a typed error beside the others\' whole answer', async () => {
    const memorandum = await memorandumPlus(LIVE);
    const stack = await startTestStack({ memorandum, env: { GAS_LIVE_TEST_API_KEY: 'k' } });
    try {
      expect([...stack.emulators.keys()]).toEqual(PARTNER_IDS);
      expect(stack.log.lines.map((line) => JSON.parse(line) as { partner?: string; msg: string }).filter((l) => l.partner === LIVE.id).map((l) => l.msg))
        .toContain('no emulator stands in for this partner: using its memorandum base URL');
      const answer = await gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID });
      const expected: GraphQLResponse = {
        data: BASELINE.data,
        errors: [{
          message: 'the partner cannot be reached',
          path: ['citizen', 'gasAccounts'],
          extensions: { code: 'PARTNER_UNAVAILABLE', partner: LIVE.id, retryable: true },
        }],
      };
      expect(answer).toEqual(expected);
    } finally {
      await stack.stop();
    }
  });
});

describe('a disabled (scaffolded) entry', () => {
  it('is neither started nor one of the partners the emulator suites run against', async () => {
    const scaffolded: PartnerEntry = { ...LIVE, id: 'gas-scaffolded-test', enabled: false, connection: { ...LIVE.connection, credentials: {} } };
    const memorandum = await memorandumPlus(scaffolded);
    expect(emulatedPartnerIds(memorandum)).toEqual(PARTNER_IDS);
    expect(FIELD_OF[scaffolded.id]).toBeUndefined();
  });
});
