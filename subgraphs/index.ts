import type { Partner } from '../adapters/core/partners.js';
import type { Logger } from '../adapters/core/logger.js';
import type { Memorandum } from '../adapters/core/memorandum.js';
import type { StatusBoard } from '../adapters/core/status-board.js';
import type { AssertionKey } from '../identity/assertion.js';
import type { Metrics } from '../platform/metrics.js';
import type { AccessTrail } from './centre/access-log.js';
import type { SubgraphName } from '../schema/index.js';
import type { Subgraph } from './kit/create-subgraph.js';
import { createCentreSubgraph } from './centre/index.js';
import { createGasSubgraph } from './gas/index.js';
import { createHeatingSubgraph } from './heating/index.js';
import { createWaterSubgraph } from './water/index.js';
import { createElectricitySubgraph } from './electricity/index.js';
import { createCadastreSubgraph } from './cadastre/index.js';
import { createVehiclesSubgraph } from './vehicles/index.js';

export type { Subgraph } from './kit/create-subgraph.js';

export interface SubgraphDeps {
  partners: readonly Partner[];
  log: Logger;
  memorandum: Memorandum;
  /** Where partner call outcomes are recorded (domain subgraphs) and read (centre). */
  statusBoard: StatusBoard;
  /** Verifies the gateway's assertion on every request. */
  assertionKey: AssertionKey;
  /** The access trail, read by the centre for `me { accessLog }`. */
  trail?: AccessTrail;
  /** The process's metrics, served at each subgraph's GET /metrics. */
  metrics?: Metrics;
}

const FACTORIES: Record<SubgraphName, (deps: SubgraphDeps) => Promise<Subgraph>> = {
  centre: createCentreSubgraph,
  gas: createGasSubgraph,
  heating: createHeatingSubgraph,
  water: createWaterSubgraph,
  electricity: createElectricitySubgraph,
  cadastre: createCadastreSubgraph,
  vehicles: createVehiclesSubgraph,
};

export function createSubgraphByName(name: SubgraphName, deps: SubgraphDeps): Promise<Subgraph> {
  return FACTORIES[name](deps);
}
