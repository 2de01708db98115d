import { ASSERTION_HEADER, signAssertion } from '../../identity/assertion.js';
import { callCounts, DEMO_STAFF_PRINCIPAL, gql, resetCallCounts, startTestStack, TEST_PURPOSE, type TestStack } from '../helpers/stack.js';
import { openTestTrail, type TestTrail } from '../helpers/trail.js';
import { itIsTestedWhereSet } from '../helpers/ci-provided.js';

/** Bulk look-ups, callers that keep failing, a trail that cannot be written, and replayed assertions. */

const look = 'query Look($taxId: ID!) { citizen(taxId: $taxId) { gasAccounts { accountNumber } } }';

describe('the limit on different people per staff member', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ lookupLimits: { staff: { people: 3, windowSeconds: 600 }, citizen: { people: 1, windowSeconds: 60 } } });
  }, 60_000);
  afterAll(() => stack.stop());

  it('refuses the fourth different person with 429 and Retry-After, records the refusal and asks no partner; the first three stay open', async () => {
    const people = stack.population.citizens.slice(10, 14).map((c) => c.taxId);
    for (const taxId of people.slice(0, 3)) expect((await gql(stack.gatewayUrl, look, { taxId })).errors).toBeUndefined();
    resetCallCounts(stack);
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-1' },
      body: JSON.stringify({ query: look, variables: { taxId: people[3] } }),
    });
    expect({ status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() }).toEqual({
      status: 429, retryAfter: '600',
      body: { data: null, errors: [{ message: 'too many different people looked up in a short time; try again later', extensions: { code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 600 } }] },
    });
    expect(callCounts(stack)['gas-kryvyi-rih']).toBe(0);
    expect((await stack.trail.forSubject(people[3])).records.map((r) => [r.outcome, r.refusal])).toEqual([['REFUSED', 'RATE_LIMITED']]);
    // Someone already looked up in the window is not a new person.
    expect((await gql(stack.gatewayUrl, look, { taxId: people[0] })).errors).toBeUndefined();
    // Another staff member has a window of their own.
    expect((await gql(stack.gatewayUrl, look, { taxId: people[3] }, { authorization: `Bearer ${await stack.token({ kind: 'staff', id: 'staff-0043' })}` })).errors).toBeUndefined();
  });

  it('withholds a whole request that names a new person past the limit, and records why for everyone in it', async () => {
    const [known, fresh] = [stack.population.citizens[10].taxId, stack.population.citizens[15].taxId];
    const both = `query Both { a: citizen(taxId: "${known}") { gasAccounts { accountNumber } } b: citizen(taxId: "${fresh}") { gasAccounts { accountNumber } } }`;
    const answer = await gql(stack.gatewayUrl, both);
    expect({ data: answer.data, codes: answer.errors?.map((e) => e.extensions?.code) }).toEqual({ data: null, codes: ['RATE_LIMITED'] });
    for (const taxId of [known, fresh]) {
      expect((await stack.trail.forSubject(taxId)).records.slice(0, 1).map((r) => [r.operation, r.outcome, r.refusal])).toEqual([['Both', 'REFUSED', 'RATE_LIMITED']]);
    }
  });

  it('flags the abnormal pace with a warning naming the staff member, and counts it and the refusal', async () => {
    const warnings = stack.log.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'abnormal look-up pace: a staff member is looking up many different people');
    expect(warnings.map((w) => [w.staffId, w.people, w.limit])).toEqual([['staff-0042', 3, 3]]);
    const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('vikno_lookup_pace_alerts_total{role="staff"} 1');
    expect(metrics).toContain('vikno_lookup_refusals_total{role="staff"} 2');
  });
});

if (!process.env.REDIS_URL) {
  describe('the limit shared by two gateways through Redis', () => {
    itIsTestedWhereSet('REDIS_URL');
  });
} else describe('the limit shared by two gateways through Redis', () => {
  let a: TestStack;
  let b: TestStack;
  beforeAll(async () => {
    const shared = { redisUrl: process.env.REDIS_URL, cacheKeySecret: `limit-test-${process.pid}-${Date.now()}-secret`, lookupLimits: { staff: { people: 2, windowSeconds: 600 }, citizen: { people: 1, windowSeconds: 60 } } };
    a = await startTestStack(shared);
    b = await startTestStack(shared);
  }, 60_000);
  afterAll(async () => { await a?.stop(); await b?.stop(); });

  it('counts the people one staff member looked up on either gateway', async () => {
    const people = a.population.citizens.slice(20, 23).map((c) => c.taxId);
    const staff = { kind: 'staff' as const, id: `staff-redis-${process.pid}` };
    expect((await gql(a.gatewayUrl, look, { taxId: people[0] }, { authorization: `Bearer ${await a.token(staff)}` })).errors).toBeUndefined();
    expect((await gql(b.gatewayUrl, look, { taxId: people[1] }, { authorization: `Bearer ${await b.token(staff)}` })).errors).toBeUndefined();
    const third = await gql(a.gatewayUrl, look, { taxId: people[2] }, { authorization: `Bearer ${await a.token(staff)}` });
    expect(third.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
  });
});

describe('callers that keep failing to authenticate', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startTestStack({ addressLimit: { failures: 3, windowSeconds: 60 } }); }, 60_000);
  afterAll(() => stack.stop());

  it('are told to wait (429, Retry-After) after the limit, without their token being looked at, and are logged in the security log only', async () => {
    const send = (authorization: string) => fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{"query":"{ partners { id } }"}' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send('Bearer nonsense')).status);
    const valid = await send(`Bearer ${await stack.token()}`);
    expect([...statuses, valid.status, valid.headers.get('retry-after')]).toEqual([401, 401, 401, 429, 429, '60']);
    // The security log is written after the answer, so a flood never waits for it: read it once all five are in.
    let log = await stack.trail.securityLog!.recent(10);
    for (let turn = 0; turn < 10_000 && log.length < 5; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      log = await stack.trail.securityLog!.recent(10);
    }
    expect(log.map((e) => e.reason).sort()).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });
});

describe('a trail that cannot be written', () => {
  let stack: TestStack;
  let trail: TestTrail;
  beforeAll(async () => {
    trail = await openTestTrail();
    const failing = { appendMany: () => Promise.reject(new Error('no space left on device')), forSubject: trail.forSubject.bind(trail) };
    stack = await startTestStack({ trail: failing, cache: false });
  }, 60_000);
  afterAll(async () => { await stack.stop(); await trail.dispose(); });

  it('means no partner is asked and the caller gets a retryable 503', async () => {
    resetCallCounts(stack);
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-2' },
      body: JSON.stringify({ query: 'query Look($taxId: ID!) { citizen(taxId: $taxId) { gasAccounts { accountNumber } landParcels { issuedExtract { number } } } }', variables: { taxId: '3111901220' } }),
    });
    expect({ status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() }).toEqual({
      status: 503, retryAfter: '5',
      body: { data: null, errors: [{ message: 'the look-up could not be recorded in the access trail, so no partner was asked; try again shortly', extensions: { code: 'TRAIL_UNAVAILABLE', retryable: true } }] },
    });
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
  });
});

describe('a subgraph called with a captured assertion', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startTestStack({ cache: false }); }, 60_000);
  afterAll(() => stack.stop());

  const body = JSON.stringify({
    query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { gasAccounts { accountNumber } } } }',
    variables: { r: [{ __typename: 'Citizen', taxId: '3111901220' }] },
  });
  const send = (url: string, assertion: string, text = body) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: assertion }, body: text })
      .then(async (r) => ({ status: r.status, body: (await r.json()) as { errors: Array<{ extensions: { code: string } }> } }));
  const refused = { status: 401, body: { errors: [{ message: 'the request did not come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] } };

  it('works once, for its own subgraph and body only', async () => {
    const assertion = await signAssertion(stack.assertionKey, { principal: DEMO_STAFF_PRINCIPAL, purpose: TEST_PURPOSE, requestId: 'r', recorded: true }, { audience: 'gas', body });
    expect((await send(stack.subgraphUrls.water, assertion)).status).toBe(401);
    expect(await send(stack.subgraphUrls.gas, assertion, body.replace('3111901220', '2660404572'))).toEqual(refused);
    expect((await send(stack.subgraphUrls.gas, assertion)).status).toBe(200);
    expect(await send(stack.subgraphUrls.gas, assertion)).toEqual(refused);
  });

  it('asks no partner about a person the gateway did not say it recorded', async () => {
    resetCallCounts(stack);
    const assertion = await signAssertion(stack.assertionKey, { principal: DEMO_STAFF_PRINCIPAL, purpose: TEST_PURPOSE, requestId: 'r', recorded: false }, { audience: 'gas', body });
    const answer = await send(stack.subgraphUrls.gas, assertion);
    expect(answer.body.errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(callCounts(stack)['gas-kryvyi-rih']).toBe(0);
  });
});
