import { BadUserInputError, ForbiddenError, isViknoError, TrailUnavailableError } from '../../domain/errors.js';
import type { SubgraphContext } from '../kit/context.js';

/** base64url of the record's seq, as the trail's own cursors (audit/trail.ts). */
const encodeCursor = (seq: number) => Buffer.from(String(seq)).toString('base64url');

/** What the centre needs of the access trail (audit/): a person's records, newest first, a page at a time. */
export interface AccessTrail {
  forSubject(taxId: string, page?: { first?: number; after?: string }): Promise<{
    records: ReadonlyArray<AccessRecordView & { seq: number }>;
    hasNextPage: boolean;
    endCursor: string | null;
  }>;
}

export interface AccessRecordView {
  at: string;
  /** LOOKUP or ISSUANCE. */
  action: string;
  institution: string;
  official: string | null;
  purpose: string | null;
  operation: string | null;
  domains: readonly string[];
  partners: ReadonlyArray<{ id: string; outcome: string }>;
  outcome: string;
  refusal: string | null;
}

export const MAX_PAGE = 100;

/** A partner of a look-up as the log shows it: its id (the Partner is resolved from it) and outcome. */
export interface AccessLogPartnerView {
  partnerId: string;
  outcome: string;
}

/** A page of the log as `accessLog` answers it. */
export type AccessLogPage = Awaited<ReturnType<typeof accessLog>>;

/**
 * The schema's PartnerCallOutcome: what subgraphs report (ANSWERED, STALE or a catalogued code). A
 * code the enum does not know is shown as INTERNAL_SERVER_ERROR rather than failing the whole page.
 */
const PARTNER_CALL_OUTCOMES = new Set([
  'ANSWERED', 'STALE', 'PARTNER_UNAVAILABLE', 'PARTNER_TIMEOUT', 'PARTNER_BAD_RESPONSE', 'BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN',
  'RATE_LIMITED', 'INTERNAL_SERVER_ERROR',
]);
const UNREADABLE = 'the access trail could not be read; try again shortly';

/** `accessLog` on a Citizen: only the citizen reads their own trail, newest first, a page at a time. */
export async function accessLog(trail: AccessTrail | undefined, taxId: string, args: { first: number; after?: string | null }, context: SubgraphContext) {
  if (context.principal.kind !== 'citizen' || context.principal.taxId !== taxId) {
    throw new ForbiddenError('only the citizen may read who looked at their data');
  }
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE) throw new BadUserInputError(`first must be a whole number from 1 to ${MAX_PAGE}`);
  // Never an empty log in place of a missing one: that would tell a citizen nobody looked. The
  // field is null with TRAIL_UNAVAILABLE, and the rest of the citizen's data still answers.
  if (!trail) throw new TrailUnavailableError(undefined, UNREADABLE);
  let page;
  try {
    page = await trail.forSubject(taxId, { first: args.first, after: args.after ?? undefined });
  } catch (error) {
    if (isViknoError(error)) throw error; // a cursor that is not the trail's: BAD_USER_INPUT
    context.log.error({ err: error }, 'the access trail could not be read');
    throw new TrailUnavailableError({ cause: error }, UNREADABLE);
  }
  return {
    edges: page.records.map((r) => ({
      cursor: encodeCursor(r.seq),
      node: {
        ...r,
        id: `access-log:${r.seq}`,
        domains: r.domains.map((d) => d.toUpperCase()),
        partners: r.partners.map((p): AccessLogPartnerView => ({ partnerId: p.id, outcome: PARTNER_CALL_OUTCOMES.has(p.outcome) ? p.outcome : 'INTERNAL_SERVER_ERROR' })),
      },
    })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      // A cursor the trail accepted is one of its records, newer than this page.
      hasPreviousPage: args.after != null,
      startCursor: page.records.length ? encodeCursor(page.records[0].seq) : null,
      endCursor: page.endCursor,
    },
  };
}
