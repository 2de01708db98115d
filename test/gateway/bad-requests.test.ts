import { startTestStack } from '../helpers/stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => { stack = await startTestStack(); });
afterAll(() => stack.stop());

/** As an authenticated client: without a token the gateway does not read the body at all (test/security). */
async function post(url: string, body: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const authorization = `Bearer ${await stack.token()}`;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe('a request GraphQL cannot even read', () => {
  it('gets a JSON error, not an HTML page, when the body is not JSON', async () => {
    expect(await post(stack.gatewayUrl, '{"query": "{ citizen(taxId: \\"3111901220\\") { taxId } }", oops')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: { errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('gets a JSON error when the body is too large, at the gateway and at a subgraph', async () => {
    const huge = JSON.stringify({ query: `{ __typename }${' '.repeat(300 * 1024)}` });
    const expected = { status: 413, type: 'application/json; charset=utf-8', body: { errors: [{ message: 'the request body is too large', extensions: { code: 'BAD_REQUEST' } }] } };
    expect(await post(stack.gatewayUrl, huge)).toEqual(expected);
    expect(await post(stack.subgraphUrls.gas, huge)).toEqual(expected);
  });

  it('keeps the unreadable body out of the logs', async () => {
    const before = stack.log.lines.length;
    await post(stack.gatewayUrl, '{"taxId": "3111901220", broken');
    const lines = stack.log.lines.slice(before).join('\n');
    expect(lines).toContain('request refused before GraphQL');
    expect(lines).not.toContain('3111901220');
  });
});
