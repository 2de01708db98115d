import { openTestTrail, type TestTrail } from '../helpers/trail.js';
import { gql, startTestStack, TEST_NOW, type TestStack } from '../helpers/stack.js';
import { until } from '../helpers/until.js';
import { fullAnswer, FAULT_QUERY, TAX_ID } from '../faults/fault-query.js';

/**
 * Stopping the embedded stack drops no request: the gateway stops accepting and finishes what is in
 * flight (its requests still need the subgraphs and the partners, which are closed after it), each
 * look-up's completion is written to the trail, and only then is everything closed.
 */

const IN_FLIGHT = 8;
const LATENCY_MS = 1000;
const SLOW = ['cadastre-dzk', 'vehicles-mvs'];
const LIVE = fullAnswer(() => ({ freshness: 'LIVE', fetchedAt: TEST_NOW }));

/** Whether anything still accepts connections at `url`. */
async function accepts(url: string): Promise<boolean> {
  return fetch(url, { method: 'GET' }).then(() => true, () => false);
}

describe('stopping the stack with requests in flight', () => {
  let trail: TestTrail;
  let stack: TestStack;

  beforeAll(async () => {
    trail = await openTestTrail();
    // Slow registries (one call each for this query), so requests are still at them when stop() is called.
    const faults = Object.fromEntries(SLOW.map((id) => [id, { latencyMs: LATENCY_MS }]));
    // A budget far above the registries' latency: this is about stopping, not about slow answers.
    stack = await startTestStack({ trail, securityLog: trail.securityLog, cache: false, faults, answerBudgetMs: 15_000 });
  });
  afterAll(async () => {
    await stack?.stop();
    await trail?.dispose();
  });

  it(`answers all ${IN_FLIGHT} in full, records their completions, refuses new connections, and then is closed`, async () => {
    let answered = 0;
    const requests = Array.from({ length: IN_FLIGHT }, () => gql(stack.gatewayUrl, FAULT_QUERY, { taxId: TAX_ID }).finally(() => { answered += 1; }));
    // Each look-up is recorded before any partner is asked: once all are, all are in the gateway's hands.
    await until(`${IN_FLIGHT} look-ups are recorded`, async () => (await trail.forSubject(TAX_ID, { first: 100 })).records.length >= IN_FLIGHT);

    let stopped = false;
    const stopping = stack.stop().then(() => { stopped = true; });
    expect(answered).toBe(0);
    // Not accepting any more, while the requests in flight go on.
    expect(await accepts(stack.gatewayUrl)).toBe(false);
    expect(stopped).toBe(false);

    expect(await Promise.all(requests)).toEqual(Array.from({ length: IN_FLIGHT }, () => LIVE));
    await stopping;

    // Every look-up recorded, opened and completed.
    const { records } = await trail.forSubject(TAX_ID, { first: 100 });
    expect(records.map((r) => ({ outcome: r.outcome, completed: r.completion !== null }))).toEqual(
      Array.from({ length: IN_FLIGHT }, () => ({ outcome: 'ANSWERED', completed: true })),
    );
    // And then everything is closed: gateway, subgraphs, partners.
    const urls = [stack.gatewayUrl, ...Object.values(stack.subgraphUrls), ...[...stack.emulators.values()].map((e) => e.url)];
    expect(await Promise.all(urls.map(accepts))).toEqual(urls.map(() => false));
  });
});
