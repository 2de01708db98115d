import type { Principal } from '../identity/principal.js';
import { CITIZEN_PORTAL, type Outcome as TrailOutcome, type TrailEntry } from '../audit/record.js';

export type { TrailEntry };

/** What the gateway needs of the access trail (audit/): several records in one durable write. */
export interface TrailWriter {
  appendMany(entries: readonly TrailEntry[]): Promise<ReadonlyArray<{ seq: number }>>;
}

export interface Outcome {
  outcome: Exclude<TrailOutcome, 'PENDING'>;
  refusal: string | null;
}

/** The error codes a client's own request or identity caused: the look-up was refused. */
const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST', 'RATE_LIMITED']);

/** Reads the outcome of a look-up from the errors of the answer. */
export function outcomeOf(errors: ReadonlyArray<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>): Outcome {
  const codes = errors.map((e) => ({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), depth: e.path?.length ?? 0 }));
  const refused = codes.find((c) => REFUSALS.has(c.code) && c.depth <= 1);
  if (refused) return { outcome: 'REFUSED', refusal: refused.code };
  // A TRAIL_UNAVAILABLE below the root is only `accessLog` that could not be read: the rest answered.
  if (codes.some((c) => c.code === 'INTERNAL_SERVER_ERROR' || (c.code === 'TRAIL_UNAVAILABLE' && c.depth <= 1))) return { outcome: 'FAILED', refusal: null };
  return codes.length > 0 ? { outcome: 'PARTIAL', refusal: null } : { outcome: 'ANSWERED', refusal: null };
}

const MAX_OPERATION_NAME = 100;

/** Who looked, why, and in which operation: the part of a record that is the same for every person of a request. */
export function lookupHeader(principal: Principal, purpose: string | undefined, operationName: string | null): Omit<TrailEntry, 'subject' | 'outcome'> {
  return {
    actor: principal.kind === 'staff' ? { kind: 'staff', staffId: principal.id, centre: principal.centre } : { kind: 'citizen' },
    institution: principal.kind === 'staff' ? principal.centre : CITIZEN_PORTAL,
    official: principal.kind === 'staff' ? principal.name : null,
    purpose: principal.kind === 'citizen' ? 'self-service' : purpose ?? null,
    // GraphQL names are [_A-Za-z][_0-9A-Za-z]*, so only their length needs bounding.
    operation: operationName === null ? null : operationName.slice(0, MAX_OPERATION_NAME),
  };
}

/** The partners that answered or failed, one entry each, in id order. */
export function partnerList(partners: ReadonlyArray<{ partner: string; outcome: string }>): Array<{ id: string; outcome: string }> {
  return [...new Map(partners.map((p) => [p.partner, { id: p.partner, outcome: p.outcome }])).values()].sort((a, b) => a.id.localeCompare(b.id));
}
