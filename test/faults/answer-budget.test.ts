import { gql, memorandumWith, startTestStack, uncached, type GraphQLResponse } from '../helpers/stack.js';
import { TAX_ID, timed, withFaults } from './fault-query.js';

/**
 * The answer's budget through the whole stack: one budget (here 2 s) bounds every partner's whole
 * field, however many calls it makes one after another (heating: find, then each account; issuing
 * an extract: the listing, then the extract). A partner slow but within the budget gets its
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
    landParcels { cadastralNumber issuedExtract { subject } }
    vehicles { vin issuedExtract { subject } }
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
  // Reading issues nothing, and nothing is kept here (uncached): the registries answer with one call each.
  landParcels: PARCELS.map((n) => ({ cadastralNumber: n, issuedExtract: null })),
  vehicles: VINS.map((vin) => ({ vin, issuedExtract: null })),
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
    // Heating: find, then the accounts: about 800 ms; the registries' listings about 400 ms.
    const slow = { latencyMs: 400 };
    const { answer } = await ask({ 'heating-kryvyi-rih': slow, 'cadastre-dzk': slow, 'vehicles-mvs': slow });

    expect(answer).toEqual({ data: { citizen: WHOLE } });
  });

  it(`answers within ${BOUND_MS} ms whatever the partners do: what did not fit is PARTNER_TIMEOUT for that part, the rest is whole`, async () => {
    // A second a call: heating's accounts would end at 2 s, past the budget less the time to put the
    // answer together; the cadastre's one listing fits; the vehicles registry never answers at all.
    const slow = { latencyMs: 1000 };
    const { answer, ms } = await ask({ 'heating-kryvyi-rih': slow, 'cadastre-dzk': slow, 'vehicles-mvs': { hang: true } });

    expect(byPath(answer)).toEqual({
      data: {
        citizen: {
          ...WHOLE,
          heatingAccounts: null,
          vehicles: null,
        },
      },
      errors: [
        budgetSpent('heating-kryvyi-rih', ['citizen', 'heatingAccounts']),
        budgetSpent('vehicles-mvs', ['citizen', 'vehicles']),
      ],
    });
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
  });

  it('bounds an issuance, the listing and then the extract, by the same budget: the extract that does not fit is PARTNER_TIMEOUT', async () => {
    const issue = `mutation Issue($taxId: ID!, $n: ID!) { issueParcelExtract(taxId: $taxId, cadastralNumber: $n, purpose: "справа 5/2026") { extract { subject } } }`;
    const within = await ask({ 'cadastre-dzk': { latencyMs: 400 } });
    expect(within.answer).toEqual({ data: { citizen: WHOLE } });
    const { answer, ms } = await withFaults(stack, { 'cadastre-dzk': { latencyMs: 1000 } }, () => timed(() => gql(stack.gatewayUrl, issue, { taxId: TAX_ID, n: PARCELS[0] })));
    expect(answer).toEqual({ data: { issueParcelExtract: { extract: null } }, errors: [budgetSpent('cadastre-dzk', ['issueParcelExtract', 'extract'])] });
    expect(ms).toBeLessThanOrEqual(BOUND_MS);
  });
});
