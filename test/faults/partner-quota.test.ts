import { isDeepStrictEqual } from 'node:util';
import { waterAccountsFor } from '../../emulators/water-kryvyi-rih/data.js';
import { waterKryvyiRihEmulator } from '../../emulators/water-kryvyi-rih/index.js';
import { gql, memorandumWith, startTestStack, type GraphQLResponse } from '../helpers/stack.js';

/**
 * The water utility allows 20 calls a second per token, then answers 429 (its emulator counts them
 * per wall-clock second), and desks at rush hour ask about 50 different citizens a second. Here the
 * same, scaled down so that the whole stack on a shared test machine is not the bottleneck: the
 * utility allows 8 a second (the memorandum's quota says so) and desks ask about 20 citizens a
 * second, two seconds long. The quota paces Vikno's calls, so the partner is not overrun and its
 * circuit never opens; every answer has the citizen's water accounts or a typed error naming the
 * water utility (the quota's wait would not fit the answer's budget), never a silently missing field.
 */

const PARTNER = 'water-kryvyi-rih';
const CALLS_PER_SECOND = 8;
const LOOKUPS_PER_SECOND = 20;
const SECONDS = 2;

const QUERY = 'query ($taxId: ID!) { citizen(taxId: $taxId) { waterAccounts { accountNumber } } }';

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  const memorandum = await memorandumWith((entry) => {
    if (entry.id === PARTNER) entry.connection.quota = { callsPerSecond: CALLS_PER_SECOND, inFlight: 4, burst: 1 };
  });
  stack = await startTestStack({
    memorandum,
    emulators: { [PARTNER]: waterKryvyiRihEmulator({ requestsPerSecond: CALLS_PER_SECOND }) },
    lookupLimits: { staff: { people: 1000, windowSeconds: 600 }, citizen: { people: 1, windowSeconds: 60 } },
    // Look-ups waiting for the partner's quota pile up; the gateway's own admission is not under test here.
    admission: { maxInFlight: 1000 },
  });
});
afterAll(() => stack.stop());

/** The answer a desk should see for this citizen: the accounts the utility holds (none for a non-customer). */
function withData(taxId: string): GraphQLResponse {
  const accounts = (waterAccountsFor(stack.population, taxId) ?? []).map((a) => ({ accountNumber: a.account_number }));
  return { data: { citizen: { waterAccounts: accounts } } };
}

/** The answer when the water utility's part could not be had: null, and the error naming it. */
const withError = (code: string, message: string): GraphQLResponse => ({
  data: { citizen: { waterAccounts: null } },
  errors: [{ message, path: ['citizen', 'waterAccounts'], extensions: { code, partner: PARTNER, retryable: true } }],
});

const TYPED_ERRORS = [
  withError('PARTNER_TIMEOUT', "waiting for the partner's quota would exceed the budget"),
  withError('PARTNER_TIMEOUT', "the partner did not answer within the answer's budget"),
  withError('PARTNER_UNAVAILABLE', 'the partner is throttling calls (HTTP 429)'),
];

/** Which of the allowed answers it is: 'data', the typed error's message, or the whole answer when it is none of them. */
function kindOf(taxId: string, received: GraphQLResponse): string | GraphQLResponse {
  // Parsed here, so that its objects are this realm's, as the expected ones are (fetch parses in Node's own).
  const answer = JSON.parse(JSON.stringify(received)) as GraphQLResponse;
  if (isDeepStrictEqual(answer, withData(taxId))) return 'data';
  const typed = TYPED_ERRORS.find((e) => isDeepStrictEqual(e, answer));
  return typed ? typed.errors![0].message : answer;
}

/** Water's log lines of one kind, from the stack's captured log. */
const waterLines = (test: (line: Record<string, unknown>) => boolean) =>
  stack.log.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.partner === PARTNER && test(line));

describe(`${LOOKUPS_PER_SECOND} different citizens a second against a water utility allowing ${CALLS_PER_SECOND} calls a second`, () => {
  it('never leaves water silently missing, never opens its circuit and is answered 429 at most a handful of times', async () => {
    const taxIds = stack.population.citizens.slice(0, LOOKUPS_PER_SECOND * SECONDS).map((c) => c.taxId);
    // The arrivals are a load profile, spread evenly over the seconds; nothing waits for anything here.
    const answers = await Promise.all(taxIds.map((taxId, i) => new Promise<GraphQLResponse>((resolve, reject) => {
      setTimeout(() => gql(stack.gatewayUrl, QUERY, { taxId }).then(resolve, reject), (i * 1000) / LOOKUPS_PER_SECOND);
    })));

    const kinds = taxIds.map((taxId, i) => kindOf(taxId, answers[i]));
    const unexpected = kinds.filter((k) => typeof k !== 'string');
    const throttled = waterLines((line) => line.status === 429);
    const circuitChanges = waterLines((line) => line.msg === 'circuit breaker changed state');
    expect({ unexpected, someWithData: kinds.includes('data'), circuitChanges, circuit: stack.partners.find((p) => p.ref.id === PARTNER)!.breaker.state() })
      .toEqual({ unexpected: [], someWithData: true, circuitChanges: [], circuit: 'CLOSED' });
    expect(throttled.length).toBeLessThanOrEqual(3);
  });
});
