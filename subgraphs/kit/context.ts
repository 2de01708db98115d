import { GraphQLError } from 'graphql';
import type { CallContext } from '../../adapters/core/contract.js';
import type { Logger } from '../../platform/logger.js';
import { createLoaders, type Loaders } from './loaders.js';
import { ASSERTION_HEADER, verifyAssertion, type AssertionKey, type ReplayGuard } from '../../identity/assertion.js';
import type { Principal } from '../../identity/principal.js';
import { isViknoError } from '../../domain/errors.js';
import { isIssuanceType } from '../../domain/extract-issuance.js';

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
  /**
   * The people whose look-up (or extract issuance) the gateway recorded before this request was sent
   * (the Citizen and issuance representations of an entity fetch whose assertion says so): partners
   * are asked about no one else.
   */
  recorded: ReadonlySet<string>;
  /**
   * The people this request resolved (tax id → null, or the refusal's code), sent in
   * `extensions.subjects` so the gateway records whose data was read from what actually ran.
   */
  subjects: Map<string, string | null>;
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
export interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: the assertion is bound to its digest. */
  rawBody: Uint8Array | undefined;
  /** The parsed body. */
  body: unknown;
}

export interface ContextOptions {
  log: Logger;
  assertionKey: AssertionKey;
  /** This subgraph's name: assertions for another subgraph are refused. */
  audience: string;
  replayGuard: ReplayGuard;
}

/** Tax ids of the entities naming a person (Citizen, an extract issuance) an `_entities` fetch names. */
function citizenRepresentations(body: unknown): string[] {
  const representations = (body as { variables?: { representations?: unknown } } | undefined)?.variables?.representations;
  if (!Array.isArray(representations)) return [];
  const namesPerson = (type: unknown) => type === 'Citizen' || isIssuanceType(type);
  return representations.flatMap((r) => (r && typeof r === 'object' && namesPerson((r as { __typename?: unknown }).__typename)
    && typeof (r as { taxId?: unknown }).taxId === 'string' ? [(r as { taxId: string }).taxId] : []));
}

export async function createContext(request: IncomingRequest, options: ContextOptions): Promise<SubgraphContext> {
  const { headers } = request;
  const value = headers[ASSERTION_HEADER];
  const token = Array.isArray(value) ? undefined : value || undefined; // the header twice is refused
  let assertion;
  try {
    assertion = await verifyAssertion(options.assertionKey, token, {
      audience: options.audience, body: request.rawBody ?? new Uint8Array(), replayGuard: options.replayGuard,
    });
  } catch (error) {
    const message = isViknoError(error) ? error.message : 'the request did not come through the gateway';
    throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  const { principal, purpose, requestId, budgetMs } = assertion;
  // Real time, not the injected clock: a budget is elapsed time, measured on this host.
  const deadlineAt = budgetMs === undefined ? undefined : Date.now() + budgetMs;
  // The registries record who looked and why (X-Road-UserId, X-Road-Issue).
  const call: CallContext = principal.kind === 'staff'
    ? { requestId, officialId: principal.id, purpose, deadlineAt }
    : { requestId, officialId: 'citizen-self', purpose: 'self-service', deadlineAt };
  return {
    principal,
    purpose,
    call,
    log: options.log.child({ requestId }),
    loaders: createLoaders(),
    partialErrors: [],
    warnings: [],
    partnerOutcomes: [],
    recorded: new Set(assertion.recorded ? citizenRepresentations(request.body) : []),
    subjects: new Map(),
  };
}
