import { requestIdFrom } from '../../platform/request-context.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const QUERY = 'query GasOfCitizen($taxId: ID!) { citizen(taxId: $taxId) { gasAccounts { accountNumber } } }';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let stack: TestStack;

// Every look-up reaches the partners, so their call lines are part of each request.
beforeAll(async () => { stack = await startTestStack({ cache: false }); });
afterAll(() => stack.stop());

/** POSTs the look-up with these headers; returns the response's x-request-id and the log lines written meanwhile. */
async function lookUp(headers: Record<string, string>) {
  const before = stack.log.lines.length;
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-017', ...headers,
    },
    body: JSON.stringify({ query: QUERY, variables: { taxId: '3111901220' } }),
  });
  const body = (await response.json()) as { errors?: unknown };
  const requestId = response.headers.get('x-request-id');
  // A line an earlier request of this file writes late (after its answer) is that request's, not this one's.
  const lines = stack.log.lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => !earlier.has(l.requestId as string));
  if (requestId) earlier.add(requestId);
  return { status: response.status, errors: body.errors, requestId, lines };
}

/** The ids of the requests this file has already sent. */
const earlier = new Set<string>();

describe('the request id', () => {
  it("keeps a client's well-formed x-request-id: in the response and on every log line of the gateway, the subgraphs and the partner calls", async () => {
    const { status, errors, requestId, lines } = await lookUp({ 'x-request-id': 'desk-7-ticket-0042' });
    expect({ status, errors, requestId }).toEqual({ status: 200, errors: undefined, requestId: 'desk-7-ticket-0042' });
    expect(lines.map((l) => l.requestId)).toEqual(lines.map(() => 'desk-7-ticket-0042'));
    // The gateway's line and the gas subgraph's calls to each gas company (tariffs too, unless an earlier request cached them).
    expect(lines.filter((l) => l.op !== 'tariffs').map((l) => [l.msg, l.partner, l.op].filter(Boolean).join(' ')).sort())
      .toEqual(['graphql request', 'partner call gas-kryvyi-rih batchLookup', 'partner call gas-vinnytsia abonents']);
  });

  it('gives a request without one a new id, different for each request', async () => {
    const first = await lookUp({});
    const second = await lookUp({});
    expect(first.requestId).toMatch(UUID);
    expect(second.requestId).toMatch(UUID);
    expect(second.requestId).not.toBe(first.requestId);
    expect(first.lines.length).toBeGreaterThan(0);
    expect(first.lines.filter((l) => l.requestId !== first.requestId)).toEqual([]);
  });

  it.each([
    ['500 characters', 'a'.repeat(500)],
    ['spaces', 'desk 7 ticket 42'],
    ['too short', 'desk-7'],
    ['a run of ten digits (a tax id, a phone number)', 'ticket-3111901220'],
  ])('replaces one with %s by a new id', async (_case, header) => {
    const { requestId, lines } = await lookUp({ 'x-request-id': header });
    expect(requestId).toMatch(UUID);
    expect(lines.length).toBeGreaterThan(0);
    // Whole lines, so a failure shows which line carried another id.
    expect(lines.filter((l) => l.requestId !== requestId)).toEqual([]);
  });

  it('sends the id back on refusals before authentication too, and puts it on the refusal\'s log line', async () => {
    const before = stack.log.lines.length;
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'desk-7-ticket-0043' }, body: JSON.stringify({ query: QUERY }),
    });
    expect({ status: response.status, requestId: response.headers.get('x-request-id') }).toEqual({ status: 401, requestId: 'desk-7-ticket-0043' });
    const lines = stack.log.lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => !earlier.has(l.requestId as string));
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([['request refused: not authenticated', 'desk-7-ticket-0043']]);
  });

  it('puts it on the line of a body the gateway cannot read', async () => {
    const before = stack.log.lines.length;
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST', body: '{"query": "{ __typename }", oops',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-request-id': 'desk-7-ticket-0044' },
    });
    expect(response.status).toBe(400);
    const lines = stack.log.lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => !earlier.has(l.requestId as string));
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([['request refused before GraphQL', 'desk-7-ticket-0044']]);
  });
});

describe('requestIdFrom', () => {
  it.each([
    ['desk-7-ticket-0042', 'desk-7-ticket-0042'],
    ['A1.b2_c3-d4', 'A1.b2_c3-d4'],
    ['x'.repeat(64), 'x'.repeat(64)],
  ])('keeps %s', (header, expected) => {
    expect(requestIdFrom(header)).toBe(expected);
  });

  it.each([
    ['CR/LF', 'desk-7\r\nset-cookie: x'],
    ['LF', 'desk-7-ticket\n0042'],
    ['65 characters', 'x'.repeat(65)],
    ['500 characters', 'x'.repeat(500)],
    ['none', undefined],
    ['the header twice', ['desk-7-ticket-0042', 'desk-7-ticket-0043']],
    ['non-ASCII', 'талон-А-017-0042'],
  ])('replaces one with %s', (_case, header) => {
    expect(requestIdFrom(header)).toMatch(UUID);
  });
});
