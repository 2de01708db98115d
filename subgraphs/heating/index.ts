import { createUtilitySubgraph, type UtilitySubgraphOptions } from '../utility/create-utility-subgraph.js';

export function createHeatingSubgraph(options: UtilitySubgraphOptions) {
  return createUtilitySubgraph({ name: 'heating', citizenField: 'heatingAccounts', accountType: 'HeatingAccount', tariffsField: 'heatingTariffs' }, options);
}
