import { callCounts, gql, memorandumWith, resetCallCounts, startTestStack, TEST_NOW } from '../helpers/stack.js';
import { waterAccountsFor } from '../../emulators/water-kryvyi-rih/data.js';
import { answerWithout, FAULT_QUERY, FIELD_OF, fullAnswer, PARTNER_IDS, TAX_ID, withFaults, type Source } from './fault-query.js';

/**
 * Freshness through the whole stack, with the memorandum's cache settings (records cached 60 s,
 * kept up to a day as a fallback): LIVE from the partner, CACHED within the TTL without calling
 * anyone, and when a partner fails, its last copy marked STALE with the time it was fetched and a
 * STALE_DATA warning in the response's extensions, unless that copy is older than maxStaleSeconds.
 */

const RECORDS_TTL_MS = 60_000;
const MAX_STALE_SECONDS = 86_400;
const DEADLINE_MS = 400;

/** A clock the test moves: ages are read from it, so no test waits for time to pass. */
const clock = {
  at: Date.parse(TEST_NOW),
  now: () => new Date(clock.at),
  advance(ms: number) { clock.at += ms; },
  iso: () => new Date(clock.at).toISOString(),
};

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  const memorandum = await memorandumWith((entry) => { entry.connection.timeoutMs = DEADLINE_MS; });
  stack = await startTestStack({ memorandum, clock });
});
afterAll(() => stack.stop());

const ask = () => gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID });
const every = (source: Source) => fullAnswer(() => source);
const DOWN = { code: 'PARTNER_UNAVAILABLE', message: 'the partner failed (HTTP 503)' } as const;

/** A query after the records TTL has passed: every partner is asked and answers LIVE. */
async function liveNow(): Promise<string> {
  clock.advance(RECORDS_TTL_MS);
  const fetchedAt = clock.iso();
  expect(await ask()).toEqual(every({ freshness: 'LIVE', fetchedAt }));
  return fetchedAt;
}

describe('freshness with the default record TTL (60 s) and stale copies kept for a day', () => {
  it('answers LIVE at first, with no warnings, and CACHED within the TTL without calling any partner', async () => {
    const fetchedAt = clock.iso();
    expect(await ask()).toEqual(every({ freshness: 'LIVE', fetchedAt }));

    clock.advance(RECORDS_TTL_MS / 2);
    resetCallCounts(stack);
    expect(await ask()).toEqual(every({ freshness: 'CACHED', fetchedAt }));
    expect(callCounts(stack)).toEqual(Object.fromEntries(PARTNER_IDS.map((id) => [id, 0])));
  });

  it.each(PARTNER_IDS)('serves %s\'s last copy marked STALE with its fetch time and a STALE_DATA warning, and no error, when it is down', async (partner) => {
    const firstFetch = await liveNow();
    clock.advance(10 * 60_000);
    const now = clock.iso();

    const answer = await withFaults(stack, { [partner]: { down: true } }, ask);

    const field = FIELD_OF[partner];
    expect(answer).toEqual({
      ...fullAnswer((id) => (id === partner ? { freshness: 'STALE', fetchedAt: firstFetch } : { freshness: 'LIVE', fetchedAt: now })),
      extensions: {
        warnings: [{
          code: 'STALE_DATA', partner, field, fetchedAt: firstFetch,
          message: `the partner could not answer now; ${field} shows its data as fetched at ${firstFetch}`,
        }],
      },
    });
  });

  it('names the partner whose stale copy is an empty list: the empty list with a STALE_DATA warning, never a silent one', async () => {
    const partner = 'water-kryvyi-rih';
    const nonCustomer = stack.population.citizens.find((c) => waterAccountsFor(stack.population, c.taxId) === undefined)!;
    const askWater = () => gql(stack.gatewayUrl, 'query ($taxId: ID!) { citizen(taxId: $taxId) { waterAccounts { accountNumber } } }', { taxId: nonCustomer.taxId });
    clock.advance(RECORDS_TTL_MS);
    const fetchedAt = clock.iso();
    expect(await askWater()).toEqual({ data: { citizen: { waterAccounts: [] } } });
    clock.advance(10 * 60_000);

    const answer = await withFaults(stack, { [partner]: { down: true } }, askWater);

    expect(answer).toEqual({
      data: { citizen: { waterAccounts: [] } },
      extensions: {
        warnings: [{
          code: 'STALE_DATA', partner, field: 'waterAccounts', fetchedAt,
          message: `the partner could not answer now; waterAccounts shows its data as fetched at ${fetchedAt}`,
        }],
      },
    });
  });

  it('nulls the field with the typed error, and no warning, once the last copy is older than maxStaleSeconds', async () => {
    await liveNow();
    clock.advance(MAX_STALE_SECONDS * 1000);
    const now = clock.iso();

    const answer = await withFaults(stack, { 'heating-kryvyi-rih': { down: true } }, ask);

    expect(answer).toEqual(answerWithout({ 'heating-kryvyi-rih': DOWN }, every({ freshness: 'LIVE', fetchedAt: now })));
  });
});

describe('with maxStaleSeconds 0 (no stale copies)', () => {
  let noStale: Awaited<ReturnType<typeof startTestStack>>;

  beforeAll(async () => {
    const memorandum = await memorandumWith((entry) => {
      entry.connection.timeoutMs = DEADLINE_MS;
      entry.connection.cacheTtlSeconds = { ...entry.connection.cacheTtlSeconds, records: 0 };
      entry.connection.maxStaleSeconds = 0;
    });
    noStale = await startTestStack({ memorandum });
  });
  afterAll(() => noStale.stop());

  it('nulls the field of a partner that is down with the typed error, though it answered a moment before', async () => {
    const live = every({ freshness: 'LIVE', fetchedAt: TEST_NOW });
    expect(await gql(noStale.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID })).toEqual(live);

    const answer = await withFaults(noStale, { 'heating-kryvyi-rih': { down: true } }, () => gql(noStale.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID }));

    expect(answer).toEqual(answerWithout({ 'heating-kryvyi-rih': DOWN }, live));
  });
});
