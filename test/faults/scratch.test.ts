import { gql, memorandumWith, startTestStack, uncached } from '../helpers/stack.js';
import { TAX_ID, PARTNER_IDS, FIELD_OF } from './fault-query.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  const memorandum = await memorandumWith((e) => { e.connection.timeoutMs = 400; e.connection.breaker = { failures: 100, halfOpenAfterSeconds: 0 }; uncached(e); });
  stack = await startTestStack({ memorandum });
});
afterAll(() => stack.stop());

it('explores', async () => {
  const msgs: Record<string, number> = {};
  for (let i = 0; i < 6; i++) {
    for (const id of PARTNER_IDS) stack.emulators.get(id)!.emulator.faults.hang = true;
    const answers = await Promise.all(PARTNER_IDS.map((id) => gql(stack.gatewayUrl, `query ($taxId: ID!) { citizen(taxId: $taxId) { ${FIELD_OF[id]} { __typename } } }`, { taxId: TAX_ID })));
    for (const a of answers) for (const e of a.errors ?? []) msgs[e.message] = (msgs[e.message] ?? 0) + 1;
  }
  console.log(msgs);
});
