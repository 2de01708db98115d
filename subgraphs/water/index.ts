import { createUtilitySubgraph, type UtilitySubgraphOptions } from '../utility/create-utility-subgraph.js';

export function createWaterSubgraph(options: UtilitySubgraphOptions) {
  return createUtilitySubgraph({ name: 'water', citizenField: 'waterAccounts', accountType: 'WaterAccount', tariffsField: 'waterTariffs' }, options);
}
