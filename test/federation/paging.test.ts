import { gql, startTestStack, TEST_AS_OF, type TestStack } from '../helpers/stack.js';

/** History lists are Relay connections, newest first: `first` newest, then `after` the last cursor seen for older ones. */

let stack: TestStack;
beforeAll(async () => { stack = await startTestStack(); });
afterAll(() => stack.stop());

const query = `query Bills($taxId: ID!, $first: Int, $after: String) { citizen(taxId: $taxId) { gasAccounts { accountNumber
  bills(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { period } } } } } }`;
const cursor = (period: string) => Buffer.from(`bill:${period}`).toString('base64url');
type Account = { accountNumber: string };

describe('paging an account\'s bills', () => {
  // Bills cover the twelve months before the reference month, newest first.
  const months = Array.from({ length: 12 }, (_, k) => new Date(Date.UTC(Number(TEST_AS_OF.slice(0, 4)), Number(TEST_AS_OF.slice(5, 7)) - 2 - k, 1)).toISOString().slice(0, 7));
  const page = (accountNumber: string, periods: string[], hasPreviousPage: boolean, hasNextPage: boolean) => ({
    accountNumber,
    bills: {
      totalCount: 12,
      pageInfo: { hasNextPage, hasPreviousPage, startCursor: cursor(periods[0]), endCursor: cursor(periods.at(-1)!) },
      edges: periods.map((period) => ({ cursor: cursor(period), node: { period } })),
    },
  });

  it('gives the newest first, then the older ones after the last cursor, to the end', async () => {
    const first = await gql(stack.gatewayUrl, query, { taxId: '3111901220', first: 2 });
    const accounts = (first.data!.citizen as { gasAccounts: Account[] }).gasAccounts.map((a) => a.accountNumber);
    expect(accounts.length).toBeGreaterThan(1);
    expect(first).toEqual({ data: { citizen: { gasAccounts: accounts.map((n) => page(n, months.slice(0, 2), false, true)) } } });

    const next = await gql(stack.gatewayUrl, query, { taxId: '3111901220', first: 2, after: cursor(months[1]) });
    expect(next).toEqual({ data: { citizen: { gasAccounts: accounts.map((n) => page(n, months.slice(2, 4), true, true)) } } });

    const last = await gql(stack.gatewayUrl, query, { taxId: '3111901220', first: 20, after: cursor(months[3]) });
    expect(last).toEqual({ data: { citizen: { gasAccounts: accounts.map((n) => page(n, months.slice(4), true, false)) } } });
  });

  it('refuses a cursor that is not one of the list\'s, and a page larger than 120, as BAD_USER_INPUT on the domain field', async () => {
    const answer = await gql(stack.gatewayUrl, query, { taxId: '3111901220', first: 2, after: 'bm90LWEtY3Vyc29y' });
    const refused = (message: string) => ({
      data: { citizen: { gasAccounts: null } },
      errors: [{ message, path: ['citizen', 'gasAccounts', 0, 'bills'], extensions: { code: 'BAD_USER_INPUT', retryable: false } }],
    });
    expect(answer).toEqual(refused('after: not a cursor of this list'));
    expect(await gql(stack.gatewayUrl, query, { taxId: '3111901220', first: 121 })).toEqual(refused('first must be a whole number from 0 to 120'));
  });
});
