import { loadQuery } from '../../docs/queries/index.js';
import { callCounts, gql, resetCallCounts, startTestStack, type TestStack } from '../helpers/stack.js';

/** Attacks on the gateway's limits: refused before any partner is called. */

let stack: TestStack;
let production: TestStack;
const totalCalls = (s: TestStack) => Object.values(callCounts(s)).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  stack = await startTestStack();
  production = await startTestStack({ production: true });
});
beforeEach(() => { resetCallCounts(stack); resetCallCounts(production); });
afterAll(async () => { await stack.stop(); await production.stop(); });

const aliasBomb = `{ ${Array.from({ length: 30 }, (_, i) => `c${i}: citizen(taxId: "3111901220") { taxId }`).join(' ')} }`;

describe('queries that ask too much', () => {
  it('refuses an alias bomb of thirty citizens', async () => {
    expect(await gql(stack.gatewayUrl, aliasBomb)).toEqual({
      errors: [{ message: 'Query uses 30 aliases, more than the limit of 10', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    expect(totalCalls(stack)).toBe(0);
  });

  it('refuses three overviews in one query on its estimated cost', async () => {
    const three = `query ($a: ID!, $b: ID!, $c: ID!) { a: citizen(taxId: $a) { ...O } b: citizen(taxId: $b) { ...O } c: citizen(taxId: $c) { ...O } }`;
    const overview = loadQuery('overview').replace(/query Overview\(\$taxId: ID!\) \{\s*citizen\(taxId: \$taxId\) \{/, 'fragment O on Citizen {').replace(/\}\s*\}\s*(fragment MoneyParts)/, '}\n$1');
    const answer = await gql(stack.gatewayUrl, `${three}\n${overview}`, { a: '3111901220', b: '2660404572', c: '3111901220' });
    expect(answer.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.errors?.[0].message).toMatch(/^Query cost \d+ exceeds the limit of 50000$/);
    expect(totalCalls(stack)).toBe(0);
  });

  it('refuses a batch of many operations in one request', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-017' },
      body: JSON.stringify(Array.from({ length: 50 }, () => ({ query: '{ citizen(taxId: "3111901220") { taxId } }' }))),
    });
    expect(response.status).toBe(400);
    expect(totalCalls(stack)).toBe(0);
  });

  it('blocks a simple cross-site request (CSRF prevention), even with a valid token', async () => {
    const response = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ citizen(taxId: "3111901220") { taxId } }')}`, {
      headers: { authorization: `Bearer ${await stack.token()}`, 'x-purpose': 'A-017' },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('potential Cross-Site Request Forgery');
    expect(totalCalls(stack)).toBe(0);
  });

  it('refuses a request body over the size limit, and without a token does not read it at all', async () => {
    const body = JSON.stringify({ query: `{ __typename }${' '.repeat(100_000)}` });
    const authenticated = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}` }, body });
    const anonymous = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect([authenticated.status, anonymous.status]).toEqual([413, 401]);
  });
});

describe('in production', () => {
  it('refuses introspection', async () => {
    const answer = await gql(production.gatewayUrl, '{ __schema { types { name } } }');
    expect(answer.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.data).toBeUndefined();
  });

  it('gives no field suggestions', async () => {
    const answer = await gql(production.gatewayUrl, '{ citizn(taxId: "3111901220") { taxId } }');
    expect(answer.errors).toEqual([{ message: 'Cannot query field "citizn" on type "Query".', locations: [{ line: 1, column: 3 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('lets a citizen token run only registered operations, and runs them by id', async () => {
    const citizen = { authorization: `Bearer ${await production.token({ kind: 'citizen', taxId: '3111901220' })}` };
    const adHoc = await gql(production.gatewayUrl, '{ me { taxId vehicles { vin } } }', {}, citizen);
    expect(adHoc.errors).toEqual([{ message: 'only registered operations may be run with a citizen token', extensions: { code: 'FORBIDDEN' } }]);
    const manifest = (await import('../../docs/operations/index.js')).readManifest();
    const { id } = manifest.operations.find((op) => op.name === 'PublishedTariffs')!;
    const response = await fetch(production.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...citizen },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
    });
    const answer = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    // The registered body is the document as printed for persisted documents: its fields sorted by name.
    expect(Object.keys(answer.data ?? {})).toEqual(['electricityTariffs', 'gasTariffs', 'heatingTariffs', 'waterTariffs']);
  });
});
