import { personLookups } from '../../gateway/lookups.js';
import { loadQuery } from '../../docs/queries/index.js';

describe('which people an operation looks up', () => {
  it('reads the overview: one citizen, six domains, the operation name', () => {
    expect(personLookups(loadQuery('overview'), { taxId: '3111901220' })).toEqual({
      operationName: 'Overview', subjects: ['3111901220'],
      domains: ['gas', 'heating', 'water', 'electricity', 'cadastre', 'vehicles'],
    });
  });

  it('finds every citizen an alias bomb names, literal or variable, through fragments', () => {
    const query = `query Many($b: ID!) { a: citizen(taxId: "3111901220") { ...F } b: citizen(taxId: $b) { landParcels { cadastralNumber } } }
      fragment F on Citizen { vehicles { vin } }`;
    expect(personLookups(query, { b: '2660404572' })).toEqual({ operationName: 'Many', subjects: ['3111901220', '2660404572'], domains: ['vehicles', 'cadastre'] });
  });

  it('takes the caller\'s own tax id for me, and nobody for the partners list or a query that does not parse', () => {
    expect(personLookups('{ me { gasAccounts { accountNumber } } }', {}, null, '3111901220')).toEqual({ operationName: null, subjects: ['3111901220'], domains: ['gas'] });
    expect(personLookups('{ partners { id } }')).toEqual({ operationName: null, subjects: [], domains: [] });
    expect(personLookups('{ citizen(taxId: "3111901220") {')).toEqual({ operationName: null, subjects: [], domains: [] });
  });
});
