import { startTestStack, TEST_PURPOSE, type TestStack } from '../helpers/stack.js';

/** Overload is refused at once (503, Retry-After) rather than queued; the requests admitted are served. */

let stack: TestStack;
beforeAll(async () => {
  // The gas partner hangs, so each admitted look-up stays in flight until its answer budget ends.
  stack = await startTestStack({ admission: { maxInFlight: 2 }, answerBudgetMs: 800, faults: { 'gas-kryvyi-rih': { hang: true } } });
}, 60_000);
afterAll(() => stack.stop());

/** Waits, without sleeping, until the condition holds (a bounded number of turns of the event loop). */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1_000_000 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('the condition never held');
}

it('refuses a third look-up while two are in flight, and serves the two', async () => {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE) };
  const send = (taxId: string) => fetch(stack.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query: `{ citizen(taxId: "${taxId}") { gasAccounts { accountNumber } } }` }) });
  const gas = stack.emulators.get('gas-kryvyi-rih')!.emulator;
  gas.stats.reset();
  const admitted = [send('3111901220'), send('2660404572')];
  await until(() => gas.stats.calls >= 2);
  const refused = await send('3111901220');
  expect({ status: refused.status, retryAfter: refused.headers.get('retry-after'), body: await refused.json() }).toEqual({
    status: 503, retryAfter: '1',
    body: { errors: [{ message: 'the service is busy; try again in a second', extensions: { code: 'OVERLOADED', retryable: true } }] },
  });
  const answers = await Promise.all(admitted.map(async (pending) => { const r = await pending; return { status: r.status, codes: ((await r.json()) as { errors?: Array<{ extensions: { code: string; partner?: string } }> }).errors?.map((e) => [e.extensions.partner, e.extensions.code]) }; }));
  // Served within the budget, the hanging partner named with a typed error.
  for (const answer of answers) expect(answer).toEqual({ status: 200, codes: [['gas-kryvyi-rih', 'PARTNER_TIMEOUT']] });
  const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
  expect(metrics).toMatch(/vikno_overload_refusals_total\{reason="in_flight"[^}]*\} 1/);
});
