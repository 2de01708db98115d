import { ForbiddenError } from '../../domain/errors.js';
import { issuancesNamed, peopleNamed } from '../../gateway/subgraph-source.js';

/** What the gateway records before an entity fetch, read from its representations: look-ups and issuances. */
describe('the people and issuances an entity fetch names', () => {
  const citizen = { __typename: 'Citizen', taxId: '3111901220' };
  const parcel = { __typename: 'ParcelExtractIssuance', taxId: '2660404572', cadastralNumber: '1211000000:02:015:0107', purpose: ' справа 5/2026 ' };
  const vehicle = { __typename: 'VehicleExtractIssuance', taxId: '2660404572', vin: 'JTNB11HK1KU048213', purpose: 'продаж' };

  it('reads issuances apart from look-ups, one each, repeats included, with the purpose as the trail stores it', () => {
    const representations = [citizen, parcel, vehicle, parcel];
    expect(peopleNamed(representations)).toEqual(['3111901220']);
    expect(issuancesNamed(representations)).toEqual([
      { taxId: '2660404572', purpose: 'справа 5/2026' }, { taxId: '2660404572', purpose: 'продаж' }, { taxId: '2660404572', purpose: 'справа 5/2026' },
    ]);
    expect(issuancesNamed([citizen, { __typename: 'Partner', id: 'gas-kryvyi-rih' }])).toEqual([]);
  });

  it.each([
    ['without a tax id', { ...parcel, taxId: undefined }, 'the people this request looks up cannot be known'],
    ['without a purpose', { ...vehicle, purpose: null }, 'the people this request looks up cannot be known'],
    ['with a purpose the trail cannot store', { ...vehicle, purpose: 'x\u202e' }, 'the purpose of this issuance cannot be recorded'],
  ])('fails closed on an issuance %s', (_, representation, message) => {
    expect(() => issuancesNamed([representation])).toThrow(new ForbiddenError(message));
  });
});
