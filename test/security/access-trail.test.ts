import { callCounts, gql, resetCallCounts, startTestStack, TEST_PURPOSE, type TestStack } from '../helpers/stack.js';

/** The access trail through the whole stack: every look-up recorded, refusals too; the citizen reads theirs. */

let stack: TestStack;
const look = `query Look($taxId: ID!) { citizen(taxId: $taxId) { taxId gasAccounts { accountNumber } landParcels { cadastralNumber } } }`;
const myLog = `query MyLog($first: Int, $after: String) { me { accessLog(first: $first, after: $after) {
  edges { cursor node { at institution official purpose operation domains partners { partnerId partner { name } outcome } outcome } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
const asCitizen = async (taxId: string) => ({ authorization: `Bearer ${await stack.token({ kind: 'citizen', taxId })}` });

async function logOf(taxId: string, first = 20, after?: string) {
  const answer = await gql(stack.gatewayUrl, myLog, { first, after }, await asCitizen(taxId));
  expect(answer.errors).toBeUndefined();
  return (answer.data!.me as { accessLog: { edges: Array<{ cursor: string; node: Record<string, unknown> }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } } }).accessLog;
}

beforeAll(async () => { stack = await startTestStack({ cache: false }); }, 60_000);
afterAll(() => stack.stop());

describe('the access trail', () => {
  it('records a staff look-up with who, why, which domains and partners, and shows it to the citizen', async () => {
    expect((await gql(stack.gatewayUrl, look, { taxId: '3111901220' })).errors).toBeUndefined();
    expect((await logOf('3111901220', 1)).edges.map((e) => e.node)).toEqual([{
      at: expect.any(String), institution: 'ЦНАП м. Кривий Ріг', official: 'Ірина Левченко', purpose: TEST_PURPOSE, operation: 'Look',
      domains: ['GAS', 'CADASTRE'],
      partners: [
        { partnerId: 'cadastre-dzk', partner: { name: 'Державний земельний кадастр (Держгеокадастр)' }, outcome: 'ANSWERED' },
        { partnerId: 'gas-kryvyi-rih', partner: { name: 'АТ «Криворізька газорозподільна компанія»' }, outcome: 'ANSWERED' },
        { partnerId: 'gas-vinnytsia', partner: { name: 'АТ «Вінницька газорозподільна компанія»' }, outcome: 'ANSWERED' },
      ],
      outcome: 'ANSWERED',
    }]);
    // Reading one's own log is a look-up of one's data too, and is recorded like any other.
    expect((await logOf('3111901220', 1)).edges.map((e) => e.node)).toEqual([
      { at: expect.any(String), institution: 'Портал громадянина', official: null, purpose: 'self-service', operation: 'MyLog', domains: [], partners: [], outcome: 'ANSWERED' },
    ]);
  });

  it('records a staff look-up first (PENDING, before any partner is asked) and completes it with the outcome', async () => {
    const taxId = '2660404572';
    const first = await stack.trail.forSubject(taxId);
    await gql(stack.gatewayUrl, look, { taxId });
    const [newest] = (await stack.trail.forSubject(taxId)).records;
    expect(newest.seq).toBeGreaterThan(first.records[0]?.seq ?? 0);
    expect({ outcome: newest.outcome, domains: newest.domains, partners: newest.partners.map((p) => p.id) })
      .toEqual({ outcome: 'ANSWERED', domains: ['gas', 'cadastre'], partners: ['cadastre-dzk', 'gas-kryvyi-rih', 'gas-vinnytsia'] });
  });

  it('records a citizen reaching for someone else as refused, and keeps a caller without a token out of the citizen\'s trail', async () => {
    resetCallCounts(stack);
    const before = (await logOf('2660404572')).edges.length;
    await gql(stack.gatewayUrl, look, { taxId: '2660404572' }, await asCitizen('3111901220'));
    await gql(stack.gatewayUrl, look, { taxId: '2660404572' }, { authorization: 'Bearer not-a-token' });
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
    const nodes = (await logOf('2660404572')).edges.map((e) => e.node);
    // The refusal (newest), then the citizen's earlier reading of the log; nothing of the caller without a token.
    expect(nodes.length - before).toBe(2);
    expect(nodes[0]).toEqual(
      { at: expect.any(String), institution: 'Портал громадянина', official: null, purpose: 'self-service', operation: 'Look', domains: ['GAS', 'CADASTRE'], partners: [], outcome: 'REFUSED' },
    );
    const security = await stack.trail.securityLog!.recent(5);
    expect(security.map((e) => e.reason)).toContain('UNAUTHENTICATED');
  });

  it('pages newest first with a cursor', async () => {
    const first = await logOf('3111901220', 1);
    expect(first.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0].cursor, endCursor: first.edges[0].cursor });
    const second = await logOf('3111901220', 1, first.pageInfo.endCursor);
    expect(second.edges).toHaveLength(1);
    expect(second.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: second.edges[0].cursor, endCursor: second.edges[0].cursor });
    expect(second.edges[0].cursor).not.toBe(first.edges[0].cursor);
    expect(Date.parse(second.edges[0].node.at as string)).toBeLessThanOrEqual(Date.parse(first.edges[0].node.at as string));
  });

  it('is not readable by staff: the log is null with FORBIDDEN, and the citizen\'s other data answers', async () => {
    const answer = await gql(stack.gatewayUrl, `{ citizen(taxId: "3111901220") { taxId birthDate accessLog { edges { cursor } } } }`);
    expect(answer).toEqual({
      data: { citizen: { taxId: '3111901220', birthDate: '1985-03-14', accessLog: null } },
      errors: [{ message: 'only the citizen may read who looked at their data', path: ['citizen', 'accessLog'], extensions: { code: 'FORBIDDEN', retryable: false } }],
    });
  });

  it('is null with TRAIL_UNAVAILABLE when the trail cannot be read, and the citizen\'s other data answers', async () => {
    const mine = `{ me { taxId gasAccounts { accountNumber } accessLog { edges { cursor } } } }`;
    const headers = await asCitizen('3111901220');
    const gasAccounts = ((await gql(stack.gatewayUrl, '{ me { gasAccounts { accountNumber } } }', {}, headers)).data!.me as { gasAccounts: unknown[] }).gasAccounts;
    expect(gasAccounts.length).toBeGreaterThan(0);
    // The centre reads the stack's own trail object: its reads fail, its writes still work.
    const { forSubject } = stack.trail;
    stack.trail.forSubject = () => Promise.reject(new Error('Connection terminated unexpectedly'));
    let answer;
    try {
      answer = await gql(stack.gatewayUrl, mine, {}, headers);
    } finally {
      stack.trail.forSubject = forSubject;
    }
    expect(answer).toEqual({
      data: { me: { taxId: '3111901220', gasAccounts, accessLog: null } },
      errors: [{ message: 'the access trail could not be read; try again shortly', path: ['me', 'accessLog'], extensions: { code: 'TRAIL_UNAVAILABLE', retryable: true } }],
    });
    // The look-up itself was recorded, as answered but for the log.
    const [newest] = (await stack.trail.forSubject('3111901220')).records;
    expect({ outcome: newest.outcome, refusal: newest.refusal }).toEqual({ outcome: 'PARTIAL', refusal: null });
  });

  it('keeps an intact, sealed chain with every look-up made through the stack', async () => {
    expect(await stack.trail.verify!()).toMatchObject({ ok: true });
  });
});
