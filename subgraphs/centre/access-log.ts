import { BadUserInputError, ForbiddenError } from '../../domain/errors.js';
import type { SubgraphContext } from '../kit/context.js';

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
  partners: ReadonlyArray<{ id: string }>;
  outcome: string;
  refusal: string | null;
}

export const MAX_PAGE = 100;

/** `accessLog` on a Citizen: only the citizen reads their own trail, newest first, a page at a time. */
export async function accessLog(trail: AccessTrail | undefined, taxId: string, args: { first: number; after?: string | null }, context: SubgraphContext) {
  if (context.principal.kind !== 'citizen' || context.principal.taxId !== taxId) {
    throw new ForbiddenError('only the citizen may read who looked at their data');
  }
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE) throw new BadUserInputError(`first must be a whole number from 1 to ${MAX_PAGE}`);
  // Never an empty log in place of a missing one: that would tell a citizen nobody looked.
  if (!trail) throw new Error('the access trail is not configured for the centre subgraph (set DATABASE_URL)');
  const page = await trail.forSubject(taxId, { first: args.first, after: args.after ?? undefined });
  return {
    edges: page.records.map((r) => ({
      cursor: Buffer.from(String(r.seq)).toString('base64url'),
      node: { ...r, partners: r.partners.map((p) => p.id) },
    })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  };
}
