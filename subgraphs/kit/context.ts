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
  /** Sent in the response's `extensions.warnings`, e.g. that a field shows a stale copy. */
  warnings: Warning[];
}

export interface Warning {
  code: 'STALE_DATA';
  partner: string;
  /** The field the warning is about, e.g. gasAccounts. */
  field: string;
  /** When the copy shown was fetched from the partner. */
  fetchedAt: string;
  message: string;
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
    warnings: [],
  };
}
