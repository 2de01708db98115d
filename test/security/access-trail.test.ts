import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../../adapters/core/clock.js';
import { createPgliteClient, createSubjectHash, createTrail, type SqlClient, type Trail } from '../../audit/index.js';
import { callCounts, gql, resetCallCounts, startTestStack, TEST_PURPOSE, type TestStack } from '../helpers/stack.js';

/** The access trail through the whole stack: every look-up recorded, refusals too; the citizen reads theirs. */

let stack: TestStack;
let trail: Trail;
let client: SqlClient;
let dir: string;
const look = `query Look($taxId: ID!) { citizen(taxId: $taxId) { taxId gasAccounts { accountNumber } landParcels { cadastralNumber } } }`;
const myLog = `query MyLog($first: Int, $after: String) { me { accessLog(first: $first, after: $after) {
  edges { cursor node { at institution official purpose operation domains partners outcome } } pageInfo { hasNextPage endCursor } } } }`;
const asCitizen = async (taxId: string) => ({ authorization: `Bearer ${await stack.token({ kind: 'citizen', taxId })}` });

async function logOf(taxId: string, first = 20, after?: string) {
  const answer = await gql(stack.gatewayUrl, myLog, { first, after }, await asCitizen(taxId));
  expect(answer.errors).toBeUndefined();
  return (answer.data!.me as { accessLog: { edges: Array<{ cursor: string; node: Record<string, unknown> }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }).accessLog;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vikno-trail-'));
  // The embedded store with a client of our own, so the test can tamper with it as an intruder would.
  client = await createPgliteClient(dir);
  trail = createTrail({ client, hashSubject: createSubjectHash('a trail key for this test run'), clock: systemClock });
  await trail.migrate();
  stack = await startTestStack({ trail, cache: false });
}, 60_000);
afterAll(async () => {
  await stack.stop();
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the access trail', () => {
  it('records a staff look-up with who, why, which domains and partners, and shows it to the citizen', async () => {
    expect((await gql(stack.gatewayUrl, look, { taxId: '3111901220' })).errors).toBeUndefined();
    expect((await logOf('3111901220', 1)).edges.map((e) => e.node)).toEqual([{
      at: expect.any(String), institution: 'ЦНАП м. Кривий Ріг', official: 'Ірина Левченко', purpose: TEST_PURPOSE, operation: 'Look',
      domains: ['gas', 'cadastre'], partners: ['cadastre-dzk', 'gas-kryvyi-rih', 'gas-vinnytsia'], outcome: 'ANSWERED',
    }]);
    // Reading one's own log is a look-up of one's data too, and is recorded like any other.
    expect((await logOf('3111901220', 1)).edges.map((e) => e.node)).toEqual([
      { at: expect.any(String), institution: 'Портал громадянина', official: null, purpose: 'self-service', operation: 'MyLog', domains: [], partners: [], outcome: 'ANSWERED' },
    ]);
  });

  it('records refusals: a citizen reaching for someone else, and a caller without a token', async () => {
    resetCallCounts(stack);
    await gql(stack.gatewayUrl, look, { taxId: '2660404572' }, await asCitizen('3111901220'));
    await gql(stack.gatewayUrl, look, { taxId: '2660404572' }, { authorization: 'Bearer not-a-token' });
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
    const nodes = (await logOf('2660404572')).edges.map((e) => e.node);
    expect(nodes).toEqual([
      // The caller without a valid token still sent a purpose header: it is recorded as sent.
      { at: expect.any(String), institution: 'unknown caller', official: null, purpose: TEST_PURPOSE, operation: 'Look', domains: ['gas', 'cadastre'], partners: [], outcome: 'REFUSED' },
      { at: expect.any(String), institution: 'Портал громадянина', official: null, purpose: 'self-service', operation: 'Look', domains: ['gas', 'cadastre'], partners: [], outcome: 'REFUSED' },
    ]);
  });

  it('records the refusal of an alias bomb and of a batch of operations, naming no partner', async () => {
    resetCallCounts(stack);
    const bomb = `query Bomb { ${Array.from({ length: 30 }, (_, i) => `c${i}: citizen(taxId: "2660404572") { taxId }`).join(' ')} }`;
    expect((await gql(stack.gatewayUrl, bomb)).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const batch = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-018' },
      body: JSON.stringify([{ query: '{ citizen(taxId: "2660404572") { taxId } }' }, { query: '{ citizen(taxId: "2660404572") { vehicles { vin } } }' }]),
    });
    expect({ status: batch.status, body: await batch.json() }).toEqual({
      status: 400, body: { errors: [{ message: 'a request may carry one operation, not a batch', extensions: { code: 'BAD_REQUEST' } }] },
    });
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
    const nodes = (await logOf('2660404572', 2)).edges.map((e) => e.node);
    expect(nodes.map((n) => [n.operation, n.purpose, n.outcome])).toEqual([[null, 'A-018', 'REFUSED'], ['Bomb', TEST_PURPOSE, 'REFUSED']]);
  });

  it('pages newest first with a cursor', async () => {
    const first = await logOf('3111901220', 1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await logOf('3111901220', 1, first.pageInfo.endCursor);
    expect(second.edges).toHaveLength(1);
    expect(second.edges[0].cursor).not.toBe(first.edges[0].cursor);
    expect(Date.parse(second.edges[0].node.at as string)).toBeLessThanOrEqual(Date.parse(first.edges[0].node.at as string));
  });

  it('is not readable by staff', async () => {
    const answer = await gql(stack.gatewayUrl, `{ citizen(taxId: "3111901220") { accessLog { edges { cursor } } } }`);
    expect(answer.errors).toEqual([{ message: 'only the citizen may read who looked at their data', path: ['citizen', 'accessLog'], extensions: { code: 'FORBIDDEN', retryable: false } }]);
  });

  it('keeps an intact chain, and points at the record that was tampered with', async () => {
    const verified = await trail.verify();
    expect(verified).toEqual({ ok: true, count: expect.any(Number), head: expect.any(String) });
    await client.query('ALTER TABLE access_trail DISABLE TRIGGER USER');
    await client.query(`UPDATE access_trail SET purpose = 'nothing to see' WHERE seq = 2`);
    expect(await trail.verify()).toEqual({ ok: false, seq: 2, reason: 'changed', detail: expect.any(String) });
  });
});
