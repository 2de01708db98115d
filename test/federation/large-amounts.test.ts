import { parcelsOf } from '../../emulators/cadastre-dzk/data.js';
import { gql, startTestStack, type TestStack } from '../helpers/stack.js';

/**
 * Money beyond 32 bits: a commercial plot's normative valuation above 21,474,836.47 UAH (more
 * kopiyky than an Int holds) answers exactly through the whole federation, beside the citizen's
 * other parcels, instead of nulling the list.
 */

let stack: TestStack;
beforeAll(async () => { stack = await startTestStack({ cache: false }); });
afterAll(() => stack.stop());

const INT_MAX_UAH = 2_147_483_647n; // in kopiyky

const query = `query Parcels($taxId: ID!) { citizen(taxId: $taxId) {
  landParcels { cadastralNumber purpose { code } normativeValuation { amount currency } } } }`;

describe('a land parcel valued above 21.5 million UAH', () => {
  it('answers with its exact valuation and every other parcel of its owner', async () => {
    // The seeded population's first owner of a commercial plot (emulators/cadastre-dzk/data.ts).
    const owner = stack.population.citizens.find((c) => parcelsOf(stack.population, c).some((p) => p.purpose.code === '03.07'))!;
    const parcels = parcelsOf(stack.population, owner);
    const commercial = parcels.find((p) => p.purpose.code === '03.07')!;
    expect(BigInt(commercial.normative_valuation.replace('.', ''))).toBeGreaterThan(INT_MAX_UAH);

    const answer = await gql(stack.gatewayUrl, query, { taxId: owner.taxId });

    expect(answer).toEqual({
      data: {
        citizen: {
          landParcels: parcels.map((p) => ({
            cadastralNumber: p.cadnum, purpose: { code: p.purpose.code }, normativeValuation: { amount: p.normative_valuation, currency: 'UAH' },
          })),
        },
      },
    });
    // The same digits the registry sent, e.g. "32500000.00": not 3.25e7, not rounded.
    expect(commercial.normative_valuation).toMatch(/^\d{8,}\.\d{2}$/);
  });
});
