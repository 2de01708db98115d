import { createUtilitySubgraph, type UtilitySubgraphOptions } from '../utility/create-utility-subgraph.js';

export function createElectricitySubgraph(options: UtilitySubgraphOptions) {
  return createUtilitySubgraph({ name: 'electricity', citizenField: 'electricityAccounts', accountType: 'ElectricityAccount', tariffsField: 'electricityTariffs' }, options);
}
