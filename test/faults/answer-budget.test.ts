import { gql, memorandumWith, startTestStack, uncached, type GraphQLResponse } from '../helpers/stack.js';
import { TAX_ID, timed, withFaults } from './fault-query.js';

/**
 * The answer's budget through the whole stack: one budget (here 2 s) bounds every partner's whole
 * field, however many calls it makes one after another (heating: find, then each account; the
 * registries: the listing, then each item's extract). A partner slow but within the budget gets its
 * data to the desk; what does not fit is PARTNER_TIMEOUT for that partner's part, and the rest of
 * the answer arrives whole, within the budget plus 100 ms.
 */

const BUDGET_MS = 2000;
/** The budget's own 100 ms, and room for gateway → subgraph → adapter and back on a loaded two-core machine. */
const BOUND_MS = BUDGET_MS + 100 + 300;

const QUERY = `query Budget($taxId: ID!) {
  citizen(taxId: $taxId) {
    taxId
    heatingAccounts { accountNumber }
    waterAccounts { accountNumber }
    landParcels { cadastralNumber extract { subject } }
    vehicles { vin extract { subject } }
  }
}`;

const HEATING = [{ accountNumber: '4000000119' }, { accountNumber: '4000000127' }];
const WATER = [{ accountNumber: '100337916' }, { accountNumber: '100345835' }];
const PARCELS = ['1211000000:02:015:0107', '1222083600:01:002:0315'];
const VINS = ['JTNB11HK1KU048213', 'SJNFAAZE0JU271930'];
const WHOLE = {
  taxId: TAX_ID,
  heatingAccounts: HEATING,
  waterAccounts: WATER,
  landParcels: PARCELS.map((n) => ({ cadastralNumber: n, extract: { subject: n } })),
  vehicles: VINS.map((vin) => ({ vin, extract: { subject: vin } })),
};

const budgetSpent = (partner: string, path: Array<string | number>) => ({
  message: "the partner did not answer within the answer's budget", path, extensions: { code: 'PARTNER_TIMEOUT', partner, retryable: true },
});

/** Errors in a fixed order: subgraphs answer in whatever order they finish. */
const byPath = (answer: GraphQLResponse): GraphQLResponse =>
  (answer.errors ? { ...answer, errors: [...answer.errors].sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path))) } : answer);

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  // Every query reaches the partners, each operation may take 2 s of its own: only the budget is shorter.
  const memorandum = await memorandumWith((entry) => {
    entry.connection.timeoutMs = 2000;
    entry.connection.breaker = { failures: 100, halfOpenAfterSeconds: 0 };
    uncached(entry);
  });
  stack = await startTestStack({ memorandum, answerBudgetMs: BUDGET_MS });
  // Tariffs cached from here on, and the gateway's plan for the query.
  expect(await gql(stack.gatewayUrl, QUERY, { taxId: TAX_ID })).toEqual({ data: { citizen: WHOLE } });
});
afterAll(() => stack.stop());

const ask = (faults: Parameters<typeof withFaults>[1]) => withFaults(stack, faults, () => timed(() => gql(stack.gatewayUrl, QUERY, { taxId: TAX_ID })));

describe(`an answer budget of ${BUDGET_MS} ms`, () => {
  it('gets slow partners\' data to the desk when their calls one after another fit in it', async () => {
    // Heating: find, then the accounts; the registries: the listing, then the extracts. About 800 ms each.
    const slow = { latencyMs: 400 };
    const { answer } = await ask({ 'heating-kryvyi-rih': slow, 'cadastre-dzk': slow, 'vehicles-mvs': slow });

    expect(answer).toEqual({ data: { citizen: WHOLE } });
  });

  it(`answers within ${BOUND_MS} ms whatever the partners do: what did not fit is PARTNER_TIMEOUT for that part, the rest is whole`, async () => {
    // A second a call: heating's accounts and the cadastre's extracts would end at 2 s, past the budget less
    // the time to put the answer together; the vehicles registry never answers at all.
    const slow = { latencyMs: 1000 };
    const { answer, ms } = await ask({ 'heating-kryvyi-rih': slow, 'cadastre-dzk': slow, 'vehicles-mvs': { hang: true } });

    expect(byPath(answer)).toEqual({
      data: {
        citizen: {
          ...WHOLE,
          heatingAccounts: null,
          landParcels: PARCELS.map((n) => ({ cadastralNumber: n, extract: null })),
          vehicles: null,
        },
      },
      errors: [
        budgetSpent('heating-kryvyi-rih', ['citizen', 'heatingAccounts']),
        budgetSpent('cadastre-dzk', ['citizen', 'landParcels', 0, 'extract']),
        budgetSpent('cadastre-dzk', ['citizen', 'landParcels', 1, 'extract']),
        budgetSpent('vehicles-mvs', ['citizen', 'vehicles']),
      ],
    });
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
  });
});
