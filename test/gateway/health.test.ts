import { checkSubgraphs } from '../../gateway/health.js';
import { startTestStack } from '../helpers/stack.js';
import { SUBGRAPH_NAMES } from '../../schema/index.js';

/** Every subgraph (the centre's and one per declared domain) up. */
const allUp = () => Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, 'up']));

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => { stack = await startTestStack(); });
afterAll(() => stack.stop());

describe('GET /healthz', () => {
  it('answers 200 once every subgraph is reachable', async () => {
    const response = await fetch(stack.gatewayUrl.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      subgraphs: allUp(),
    });
  });

  it('reports unavailable, naming the subgraph, when one cannot be reached', async () => {
    const health = await checkSubgraphs({ ...stack.subgraphUrls, gas: 'http://127.0.0.1:1/graphql' }, 500);
    expect(health).toEqual({
      status: 'unavailable',
      subgraphs: { ...allUp(), gas: 'down' },
    });
  });
});
