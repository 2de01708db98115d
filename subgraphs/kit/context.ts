import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { CallContext } from '../../adapters/core/contract.js';
import type { Logger } from '../../adapters/core/logger.js';
import { createLoaders, type Loaders } from './loaders.js';

/** Per-request state of a subgraph. Nothing in it outlives the request. */
export interface SubgraphContext {
  call: CallContext;
  log: Logger;
  loaders: Loaders;
  /**
   * Errors of partners that failed while others of the same domain answered: the field keeps the
   * answering partners' data and these go into the response's `errors` beside it.
   */
  partialErrors: GraphQLError[];
}

export function createContext(headers: Record<string, string | string[] | undefined>, log: Logger): SubgraphContext {
  const header = (name: string) => {
    const value = headers[name];
    return (Array.isArray(value) ? value[0] : value) || undefined;
  };
  const requestId = header('x-request-id') ?? randomUUID();
  return {
    call: { requestId },
    log: log.child({ requestId }),
    loaders: createLoaders(),
    partialErrors: [],
  };
}
