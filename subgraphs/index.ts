import type { Partner } from '../adapters/core/partners.js';
import type { Logger } from '../platform/logger.js';
import type { Memorandum } from '../domain/memorandum.js';
import type { StatusBoard } from '../adapters/core/status-board.js';
import type { AssertionKey } from '../identity/assertion.js';
import type { Metrics } from '../platform/metrics.js';
import type { AccessTrail } from './centre/access-log.js';
import type { SubgraphName } from '../schema/index.js';
import type { Subgraph } from './kit/create-subgraph.js';
import { createCentreSubgraph } from './centre/index.js';
import { createUtilitySubgraph } from './utility/create-utility-subgraph.js';
import { createRegistrySubgraph } from './registry/create-registry-subgraph.js';
import { declarationOf, isDomain } from '../domain/domains.js';

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

/**
 * The centre's subgraph, or a domain's, built from its declaration (domain/domains.ts) by its kind.
 * A domain needing resolvers of its own would get its factory here, by id.
 */
export function createSubgraphByName(name: SubgraphName, deps: SubgraphDeps): Promise<Subgraph> {
  if (!isDomain(name)) return createCentreSubgraph(deps);
  const declaration = declarationOf(name);
  return declaration.kind === 'utility' ? createUtilitySubgraph(declaration, deps) : createRegistrySubgraph(declaration, deps);
}
