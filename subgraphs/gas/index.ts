import { createUtilitySubgraph, type UtilitySubgraphOptions } from '../utility/create-utility-subgraph.js';

export function createGasSubgraph(options: UtilitySubgraphOptions) {
  return createUtilitySubgraph({ name: 'gas', citizenField: 'gasAccounts', accountType: 'GasAccount', tariffsField: 'gasTariffs' }, options);
}
