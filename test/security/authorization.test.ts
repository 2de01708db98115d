import { callCounts, gql, resetCallCounts, startTestStack, TEST_PURPOSE, type TestStack } from '../helpers/stack.js';
import type { XRoadMessage } from '../../emulators/kit/x-road.js';

/** Attacks on authorization: least privilege, a stated purpose, and a citizen who reads only themselves. */

let stack: TestStack;
const query = `query Look($taxId: ID!) { citizen(taxId: $taxId) { taxId gasAccounts { accountNumber } landParcels { cadastralNumber } } }`;
const bearer = async (claims: Parameters<TestStack['token']>[0]) => ({ authorization: `Bearer ${await stack.token(claims)}` });
const totalCalls = () => Object.values(callCounts(stack)).reduce((a, b) => a + b, 0);
const messagesOf = (id: string) => (stack.emulators.get(id)!.emulator as unknown as { messages: XRoadMessage[] }).messages;

beforeAll(async () => { stack = await startTestStack({ cache: false }); });
beforeEach(() => resetCallCounts(stack));
afterAll(() => stack.stop());

describe('a citizen', () => {
  it('reads their own data through me, with no purpose to state', async () => {
    const answer = await gql(stack.gatewayUrl, '{ me { taxId gasAccounts { accountNumber } } }', {}, { ...(await bearer({ kind: 'citizen', taxId: '3111901220' })), 'x-purpose': '' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ me: { taxId: '3111901220', gasAccounts: [{ accountNumber: '1263130249' }, { accountNumber: expect.any(String) }] } });
  });

  it('is refused another citizen\'s data with FORBIDDEN, before any partner is called', async () => {
    const answer = await gql(stack.gatewayUrl, query, { taxId: '2660404572' }, await bearer({ kind: 'citizen', taxId: '3111901220' }));
    expect(answer).toEqual({
      data: { citizen: null },
      errors: [{ message: 'a citizen may read only their own data', path: ['citizen'], extensions: { code: 'FORBIDDEN', retryable: false } }],
    });
    expect(totalCalls()).toBe(0);
  });

  it('cannot use me as staff', async () => {
    const answer = await gql(stack.gatewayUrl, '{ me { taxId } }');
    expect(answer.errors).toEqual([{ message: 'me is the signed-in citizen: staff look citizens up with citizen(taxId:)', path: ['me'], extensions: { code: 'FORBIDDEN', retryable: false } }]);
  });
});

describe('a staff member', () => {
  it('is refused a look-up without a stated purpose, before any partner is called', async () => {
    const answer = await gql(stack.gatewayUrl, query, { taxId: '3111901220' }, { 'x-purpose': '' });
    expect(answer).toEqual({
      data: { citizen: null },
      errors: [{
        message: 'a look-up of a person needs its purpose: send the queue ticket or case number as the X-Purpose header',
        path: ['citizen'], extensions: { code: 'FORBIDDEN', retryable: false },
      }],
    });
    expect(totalCalls()).toBe(0);
  });

  it('without a domain\'s scope gets that field null with FORBIDDEN and the rest answered; that partner is not called', async () => {
    const answer = await gql(stack.gatewayUrl, query, { taxId: '3111901220' }, await bearer({ kind: 'staff', scopes: ['cadastre:read'] }));
    expect(answer.errors).toEqual([{ message: 'this field needs the gas:read scope', path: ['citizen', 'gasAccounts'], extensions: { code: 'FORBIDDEN', retryable: false } }]);
    expect(answer.data).toEqual({ citizen: { taxId: '3111901220', gasAccounts: null, landParcels: [{ cadastralNumber: '1211000000:02:015:0042' }] } });
    expect(callCounts(stack)['gas-kryvyi-rih']).toBe(0);
    expect(callCounts(stack)['gas-vinnytsia']).toBe(0);
  });

  it('sends their id and the purpose on to the state registries as X-Road headers', async () => {
    const before = messagesOf('cadastre-dzk').length;
    await gql(stack.gatewayUrl, query, { taxId: '3111901220' });
    const sent = messagesOf('cadastre-dzk').slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const message of sent) expect({ userId: message.userId, issue: message.issue }).toEqual({ userId: 'staff-0042', issue: TEST_PURPOSE });
  });
});
