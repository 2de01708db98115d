import { GraphQLError } from 'graphql';
import type { CallContext } from '../../adapters/core/contract.js';
import type { Logger } from '../../adapters/core/logger.js';
import { createLoaders, type Loaders } from './loaders.js';
import { ASSERTION_HEADER, verifyAssertion, type AssertionKey } from '../../identity/assertion.js';
import type { Principal } from '../../identity/principal.js';
import { isViknoError } from '../../domain/errors.js';

/** Per-request state of a subgraph. Nothing in it outlives the request. */
export interface SubgraphContext {
  /** Who is asking, as the gateway asserted it. */
  principal: Principal;
  /** The staff member's stated purpose (queue ticket or case number). */
  purpose?: string;
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
  /** Which partners answered or failed, sent in `extensions.partners` for the gateway's access trail. */
  partnerOutcomes: PartnerOutcome[];
}

export interface PartnerOutcome {
  partner: string;
  /** ANSWERED, STALE, or the error code. */
  outcome: string;
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

/**
 * The context of a request that came through the gateway: the gateway's signed assertion names the
 * principal and the purpose. Without it (a request sent straight to the subgraph's port, or a
 * forged one) the request is refused before anything runs.
 */
export async function createContext(
  headers: Record<string, string | string[] | undefined>,
  log: Logger,
  assertionKey: AssertionKey,
): Promise<SubgraphContext> {
  const header = (name: string) => {
    const value = headers[name];
    return (Array.isArray(value) ? value[0] : value) || undefined;
  };
  let assertion;
  try {
    assertion = await verifyAssertion(assertionKey, header(ASSERTION_HEADER));
  } catch (error) {
    const message = isViknoError(error) ? error.message : 'the request did not come through the gateway';
    throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  const { principal, purpose, requestId } = assertion;
  // The registries record who looked and why (X-Road-UserId, X-Road-Issue).
  const call: CallContext = principal.kind === 'staff'
    ? { requestId, officialId: principal.id, purpose }
    : { requestId, officialId: 'citizen-self', purpose: 'self-service' };
  return {
    principal,
    purpose,
    call,
    log: log.child({ requestId }),
    loaders: createLoaders(),
    partialErrors: [],
    warnings: [],
    partnerOutcomes: [],
  };
}
