import { callCounts, gql, startTestStack } from '../helpers/stack.js';
import { loadQuery } from '../../docs/queries/index.js';

const overview = loadQuery('overview');
let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => { stack = await startTestStack(); });
afterAll(() => stack.stop());

/** No call at any partner of the memorandum. */
const noCalls = () => Object.fromEntries(stack.partners.map((p) => [p.ref.id, 0]));

describe('a malformed tax id', () => {
  it.each([
    ['3111901221', 'taxId check digit does not match'],
    ['311190122', 'taxId must be exactly 10 digits'],
    ['31119O1220', 'taxId must contain digits only'],
    ['', 'taxId must contain digits only'],
  ])('%j is BAD_USER_INPUT before any partner is called', async (taxId, message) => {
    const answer = await gql(stack.gatewayUrl, overview, { taxId });
    expect(answer).toEqual({
      data: { citizen: null },
      errors: [{ message, path: ['citizen'], extensions: { code: 'BAD_USER_INPUT', retryable: false } }],
    });
    expect(callCounts(stack)).toEqual(noCalls());
  });

  it('keeps the tax id out of the error and the logs', async () => {
    const before = stack.log.lines.length;
    await gql(stack.gatewayUrl, overview, { taxId: '3111901221' });
    const lines = stack.log.lines.slice(before).join('\n');
    expect(lines).toContain('graphql request');
    expect(lines).not.toContain('3111901221');
  });
});
