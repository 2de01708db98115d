import { callCounts, resetCallCounts, startTestStack, TEST_PURPOSE, type GraphQLResponse, type TestStack } from '../helpers/stack.js';
import { operationId } from '../../gateway/persisted.js';

/**
 * Attacks on the promise that every look-up of a person is recorded before any partner is asked,
 * whatever the shape of the request, and that only authenticated principals write a citizen's trail.
 */

let stack: TestStack;
const TAX_ID = '2660404572';
const OTHER = '3111901220';

beforeAll(async () => { stack = await startTestStack({ cache: false }); }, 60_000);
afterAll(() => stack.stop());

/** The look-ups recorded for a person since `since` (a count of earlier records), oldest first. */
async function recordsOf(taxId: string) {
  const page = await stack.trail.forSubject(taxId, { first: 100 });
  return [...page.records].reverse();
}

async function newRecords<T>(taxId: string, act: () => Promise<T>): Promise<{ result: T; records: Awaited<ReturnType<typeof recordsOf>> }> {
  const before = (await recordsOf(taxId)).length;
  const result = await act();
  return { result, records: (await recordsOf(taxId)).slice(before) };
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}


describe('every way of naming a person is recorded', () => {
  const shapes: Array<[string, unknown]> = [
    ['a literal', { query: `query Literal { citizen(taxId: "${TAX_ID}") { gasAccounts { accountNumber } } }` }],
    ['a variable', { query: 'query Variable($t: ID!) { citizen(taxId: $t) { gasAccounts { accountNumber } } }', variables: { t: TAX_ID } }],
    ['a variable\'s default value', { query: `query Default($t: ID! = "${TAX_ID}") { citizen(taxId: $t) { gasAccounts { accountNumber } } }` }],
    ['a JSON number', { query: 'query AsNumber($t: ID!) { citizen(taxId: $t) { gasAccounts { accountNumber } } }', variables: { t: Number(TAX_ID) } }],
    ['an alias', { query: `query Aliased { someone: citizen(taxId: "${TAX_ID}") { gasAccounts { accountNumber } } }` }],
    ['a named fragment', { query: `query Fragmented { ...F } fragment F on Query { citizen(taxId: "${TAX_ID}") { gasAccounts { accountNumber } } }` }],
    ['an inline fragment with a directive', { query: `query Inline($yes: Boolean = true) { ... on Query @include(if: $yes) { citizen(taxId: "${TAX_ID}") { gasAccounts { accountNumber } } } }` }],
    ['a second operation chosen by name', { query: `query A { partners { id } } query B { citizen(taxId: "${TAX_ID}") { gasAccounts { accountNumber } } }`, operationName: 'B' }],
  ];

  it.each(shapes)('records a look-up named through %s, before the partner was asked', async (_, body) => {
    resetCallCounts(stack);
    const { result, records } = await newRecords(TAX_ID, () => post(body));
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(JSON.stringify(result.body.data)).toContain('accountNumber');
    expect(records.map((r) => ({ purpose: r.purpose, domains: r.domains, outcome: r.outcome }))).toEqual([{ purpose: TEST_PURPOSE, domains: ['gas'], outcome: 'ANSWERED' }]);
    expect(stack.emulators.get('gas-kryvyi-rih')!.emulator.stats.byOperation.batchLookup).toBe(1);
  });

  it('records both people of one request, however they are named', async () => {
    const query = `query Two($t: ID! = "${OTHER}") { a: citizen(taxId: "${TAX_ID}") { vehicles { vin } } b: citizen(taxId: $t) { vehicles { vin } } }`;
    const before = [(await recordsOf(TAX_ID)).length, (await recordsOf(OTHER)).length];
    expect((await post({ query })).body.errors).toBeUndefined();
    expect([(await recordsOf(TAX_ID)).length - before[0], (await recordsOf(OTHER)).length - before[1]]).toEqual([1, 1]);
  });

  it('records a look-up that asks no partner (what the number itself says)', async () => {
    resetCallCounts(stack);
    const { records } = await newRecords(TAX_ID, () => post({ query: `query Born { citizen(taxId: "${TAX_ID}") { birthDate sex } }` }));
    expect(records.map((r) => [r.operation, r.outcome, r.domains])).toEqual([['Born', 'ANSWERED', []]]);
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
  });

  it('records a registered operation run by its id', async () => {
    const citizen = { authorization: `Bearer ${await stack.token({ kind: 'citizen', taxId: TAX_ID })}` };
    const manifest = (await import('../../docs/operations/index.js')).readManifest();
    const { id, body } = manifest.operations.find((op) => op.name === 'MyOverview')!;
    const { result, records } = await newRecords(TAX_ID, () => post({ documentId: id }, citizen));
    expect(result.body.errors).toBeUndefined();
    expect(records.map((r) => [r.institution, r.operation, r.outcome])).toEqual([['Портал громадянина', 'MyOverview', 'ANSWERED']]);
    expect(id).toBe(operationId(body));
  });

  it('records the refusal of a citizen reaching for someone else, and asks no partner', async () => {
    resetCallCounts(stack);
    const citizen = { authorization: `Bearer ${await stack.token({ kind: 'citizen', taxId: OTHER })}` };
    const { result, records } = await newRecords(TAX_ID, () => post({ query: `query Peek { citizen(taxId: "${TAX_ID}") { gasAccounts { accountNumber } } }` }, citizen));
    expect(result.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(records.map((r) => [r.institution, r.outcome, r.refusal])).toEqual([['Портал громадянина', 'REFUSED', 'FORBIDDEN']]);
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
  });
});

describe('nobody writes a citizen\'s trail without authenticating', () => {
  it('keeps unauthenticated requests, their purposes and operation names out of the citizen\'s trail', async () => {
    const query = `query ${'X'.repeat(30_000)} { citizen(taxId: "${TAX_ID}") { taxId } }`;
    const { result, records } = await newRecords(TAX_ID, () => post({ query }, { authorization: 'Bearer forged', 'x-purpose': 'I was never here' }));
    expect(result).toEqual({ status: 401, body: { errors: [{ message: 'the token is malformed', extensions: { code: 'UNAUTHENTICATED' } }] } });
    expect(records).toEqual([]);
  });

  it('does not even read the body of an unauthenticated request', async () => {
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{ not json' });
    expect({ status: response.status, body: await response.json() })
      .toEqual({ status: 401, body: { errors: [{ message: 'a bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] } });
  });

  it('bounds the operation name an authenticated caller writes to 100 characters', async () => {
    const name = `Q${'x'.repeat(5_000)}`;
    const { records } = await newRecords(TAX_ID, () => post({ query: `query ${name} { citizen(taxId: "${TAX_ID}") { taxId } }` }));
    expect(records.map((r) => r.operation)).toEqual([name.slice(0, 100)]);
  });
});

describe('documents that cannot be analysed cheaply are refused as bad requests', () => {
  it('refuses a fragment cycle with 400, not 500', async () => {
    const { status, body } = await post({ query: 'query C { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' });
    expect({ status, codes: body.errors?.map((e) => e.extensions?.code) }).toEqual({ status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('refuses a subscription with 400', async () => {
    const query = `subscription S { citizen(taxId: "${TAX_ID}") { taxId } }`;
    expect(await post({ query })).toEqual({ status: 400, body: { errors: [{ message: 'subscription operations are not served', extensions: { code: 'BAD_REQUEST' } }] } });
  });

  it('refuses a mutation the schema does not have (its only ones issue extracts) with 400', async () => {
    const { status, body } = await post({ query: 'mutation M { x }' });
    expect({ status, codes: body.errors?.map((e) => e.extensions?.code) }).toEqual({ status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('refuses fragments that each spread the next twice, with a valid token, at once', async () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Citizen { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const { status } = await post({ query: `query Bomb { citizen(taxId: "${TAX_ID}") { ...F0 } } ${fragments} fragment F30 on Citizen { taxId }` });
    expect(status).toBe(400);
  });
});

describe('the purpose is validated text, and the registries get exactly what the trail stores', () => {
  it.each([
    ['a zero-width space alone', '%E2%80%8B', 'X-Purpose header: must not contain control, format or bidirectional characters'],
    ['a right-to-left override', 'A-17%E2%80%AE', 'X-Purpose header: must not contain control, format or bidirectional characters'],
    ['an encoded CR/LF', 'A-17%0d%0aX-Evil: 1', 'X-Purpose header: must not contain control, format or bidirectional characters'],
  ])('refuses %s with 400 naming the header, before any partner is asked', async (_, purpose, message) => {
    resetCallCounts(stack);
    const { status, body } = await post({ query: `{ citizen(taxId: "${TAX_ID}") { gasAccounts { accountNumber } } }` }, { 'x-purpose': purpose });
    expect({ status, body }).toEqual({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] } });
    expect(Object.values(callCounts(stack)).every((n) => n === 0)).toBe(true);
  });

  it('decodes a double-encoded purpose once: the registry logs the same visible text the trail stores', async () => {
    const { messages } = stack.emulators.get('cadastre-dzk')!.emulator as unknown as { messages: Array<{ issue: string; userId: string }> };
    const sent = messages.length;
    const { records } = await newRecords(TAX_ID, () => post({ query: `query Parcels { citizen(taxId: "${TAX_ID}") { landParcels { cadastralNumber } } }` }, { 'x-purpose': 'A-17%250d%250a' }));
    expect(records.map((r) => r.purpose)).toEqual(['A-17%0d%0a']);
    expect(messages.slice(sent).map((m) => [m.userId, m.issue])).toEqual([['staff-0042', 'A-17%0d%0a']]);
  });
});
