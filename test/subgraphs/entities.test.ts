import { composeSupergraph, readCheckedInSupergraph, SUBGRAPH_NAMES, type SubgraphName } from '../../schema/index.js';
import { callCounts, resetCallCounts, startTestStack } from '../helpers/stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => { stack = await startTestStack(); });
afterAll(() => stack.stop());

describe('a domain subgraph', () => {
  it('resolves Citizen entities for many tax ids with one batch call to a partner that has one', async () => {
    resetCallCounts(stack);
    const answer = await stack.subgraphGql('gas', `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Citizen { taxId gasAccounts { partner { id } accountNumber } } }
    }`, { representations: [{ __typename: 'Citizen', taxId: '3111901220' }, { __typename: 'Citizen', taxId: '2660404572' }] });
    expect(answer.errors).toBeUndefined();
    const entities = answer.data!._entities as Array<{ taxId: string; gasAccounts: Array<{ partner: { id: string } }> }>;
    expect(entities.map((e) => e.taxId)).toEqual(['3111901220', '2660404572']);
    // Demo citizens are customers of both gas companies; the subgraph lists them in memorandum order.
    for (const e of entities) {
      expect([...new Set(e.gasAccounts.map((a) => a.partner.id))]).toEqual(['gas-kryvyi-rih', 'gas-vinnytsia']);
    }
    // One batch call per partner for both, and the tariffs the accounts refer to, loaded once and then cached.
    expect(stack.emulators.get('gas-kryvyi-rih')!.emulator.stats.byOperation).toEqual({ batchLookup: 1, tariffs: 1 });
    expect(stack.emulators.get('gas-vinnytsia')!.emulator.stats.byOperation).toEqual({ abonents: 1, tariffs: 1 });
  });

  it('refuses an entity with a malformed tax id without calling the partner', async () => {
    resetCallCounts(stack);
    const answer = await stack.subgraphGql('water', `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Citizen { waterAccounts { accountNumber } } }
    }`, { representations: [{ __typename: 'Citizen', taxId: '1234567890' }] });
    expect(answer).toEqual({
      data: null,
      errors: [{ message: 'taxId check digit does not match', locations: [{ line: 2, column: 7 }], path: ['_entities'], extensions: { code: 'BAD_USER_INPUT', retryable: false } }],
    });
    expect(callCounts(stack)['water-kryvyi-rih']).toBe(0);
  });

  it('serves SDL that composes into the checked-in supergraph', async () => {
    const sdls = {} as Record<SubgraphName, string>;
    for (const name of SUBGRAPH_NAMES) {
      const answer = await stack.subgraphGql(name, '{ _service { sdl } }');
      sdls[name] = (answer.data!._service as { sdl: string }).sdl;
    }
    expect(composeSupergraph(sdls)).toBe(readCheckedInSupergraph());
  });
});
