import type { Principal } from '../identity/principal.js';
import type { PersonLookups } from './lookups.js';
import { CITIZEN_PORTAL, type Outcome as TrailOutcome, type TrailEntry } from '../audit/record.js';

export type { TrailEntry };

/** What the gateway needs of the access trail (audit/): one entry per person an operation looks up. */
export interface TrailWriter {
  append(entry: TrailEntry): Promise<unknown>;
}

export interface Outcome {
  outcome: TrailOutcome;
  refusal: string | null;
}

/** The error codes a client's own request or identity caused: the look-up was refused. */
const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST']);

/** Reads the outcome of a look-up from the errors of the answer. */
export function outcomeOf(errors: ReadonlyArray<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>): Outcome {
  const codes = errors.map((e) => ({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), depth: e.path?.length ?? 0 }));
  const refused = codes.find((c) => REFUSALS.has(c.code) && c.depth <= 1);
  if (refused) return { outcome: 'REFUSED', refusal: refused.code };
  if (codes.some((c) => c.code === 'INTERNAL_SERVER_ERROR')) return { outcome: 'FAILED', refusal: null };
  return codes.length > 0 ? { outcome: 'PARTIAL', refusal: null } : { outcome: 'ANSWERED', refusal: null };
}

/** The trail entries of one operation: one per person it looked up. */
export function trailEntries(
  principal: Principal | undefined,
  purpose: string | undefined,
  lookups: PersonLookups,
  partners: ReadonlyArray<{ partner: string; outcome: string }>,
  outcome: Outcome,
): TrailEntry[] {
  const actor: TrailEntry['actor'] = !principal ? { kind: 'unknown' }
    : principal.kind === 'staff' ? { kind: 'staff', staffId: principal.id, centre: principal.centre } : { kind: 'citizen' };
  const partnerList = [...new Map(partners.map((p) => [p.partner, { id: p.partner, outcome: p.outcome }])).values()]
    .sort((a, b) => a.id.localeCompare(b.id));
  return lookups.subjects.map((subject) => ({
    actor,
    subject,
    institution: !principal ? 'unknown caller' : principal.kind === 'staff' ? principal.centre : CITIZEN_PORTAL,
    official: principal?.kind === 'staff' ? principal.name : null,
    purpose: principal?.kind === 'citizen' ? 'self-service' : purpose ?? null,
    operation: lookups.operationName,
    domains: lookups.domains,
    partners: partnerList,
    ...outcome,
  }));
}

const MAX_PURPOSE = 200;

/**
 * The X-Purpose header: printable text, at most 200 characters; absent or blank is undefined.
 * Header values are Latin-1, so Ukrainian text arrives percent-encoded (encodeURIComponent).
 */
export function purposeOf(header: string | string[] | undefined): string | undefined {
  let value = Array.isArray(header) ? header[0] : header;
  if (value && /%[0-9a-f]{2}/i.test(value)) {
    try { value = decodeURIComponent(value); } catch { /* not percent-encoded after all */ }
  }
  value = value?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return value ? value.slice(0, MAX_PURPOSE) : undefined;
}
