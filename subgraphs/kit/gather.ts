import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { isViknoError, PartnerBadResponseError } from '../../domain/errors.js';
import type { Partner } from '../../adapters/core/partners.js';
import { listFreshness } from '../../adapters/core/resilient.js';
import type { Provenance } from '../../domain/model.js';
import type { SubgraphContext } from './context.js';
import { viknoToGraphQLError } from '../../domain/graphql-errors.js';

/**
 * Asks every partner of a domain at once and merges their lists. When some partners fail and
 * others answer, the field carries the answers and each failure is reported beside it; when all
 * fail, the field is null and every partner's failure is reported.
 */
export async function gatherFromPartners<T>(
  partners: readonly Partner[],
  context: SubgraphContext,
  info: GraphQLResolveInfo,
  load: (partner: Partner) => Promise<T[]>,
): Promise<T[]> {
  const settled = await Promise.allSettled(partners.map(load));
  // Each partner whose part is a stale copy, with when it was fetched: also when that copy is an empty list.
  const stale = new Map(settled.flatMap((s, i) => {
    const fetchedAt = s.status === 'fulfilled' ? staleSince(s.value) : undefined;
    return fetchedAt ? [[partners[i].ref.id, fetchedAt] as const] : [];
  }));
  settled.forEach((s, i) => context.partnerOutcomes.push({
    partner: partners[i].ref.id,
    outcome: s.status === 'rejected' ? (isViknoError(s.reason) ? s.reason.code : 'INTERNAL_SERVER_ERROR')
      : stale.has(partners[i].ref.id) ? 'STALE' : 'ANSWERED',
  }));
  const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failures = settled.flatMap((s, i) => (s.status === 'rejected' ? [{ partner: partners[i], error: s.reason as unknown }] : []));
  const catalogued = failures.map(({ partner, error }) =>
    isViknoError(error) ? error : new PartnerBadResponseError(partner.ref.id, 'the adapter failed unexpectedly', { cause: error }),
  );
  for (const [i, { error }] of failures.entries()) {
    if (!isViknoError(error)) context.log.error({ err: error, partner: partners[i]?.ref.id }, 'adapter broke the error contract');
  }
  const path = responsePathAsArray(info.path);
  if (answers.length === 0 && catalogued.length > 0) {
    // The field becomes null with the first failure; every other partner's failure is named beside it.
    for (const error of catalogued.slice(1)) context.partialErrors.push(viknoToGraphQLError(error, path));
    throw catalogued[0];
  }
  for (const error of catalogued) context.partialErrors.push(viknoToGraphQLError(error, path));
  warnAboutStale(stale, context, info.fieldName);
  return answers.flat();
}

/**
 * When a partner's part of the field was fetched, if it is a stale copy: from the list's own
 * freshness (resilient.ts), which an empty list keeps too, else from the oldest stale item.
 */
function staleSince(list: readonly unknown[]): string | undefined {
  const own = listFreshness(list);
  if (own) return own.freshness === 'STALE' ? own.fetchedAt : undefined;
  return list.map((item) => (item as { source?: Provenance }).source)
    .flatMap((source) => (source?.freshness === 'STALE' ? [source.fetchedAt] : [])).sort()[0];
}

/** One warning per partner whose part of the field is a stale copy, naming when it was fetched. */
function warnAboutStale(stale: ReadonlyMap<string, string>, context: SubgraphContext, field: string): void {
  for (const [partner, fetchedAt] of stale) {
    context.warnings.push({
      code: 'STALE_DATA', partner, field, fetchedAt,
      message: `the partner could not answer now; ${field} shows its data as fetched at ${fetchedAt}`,
    });
  }
}
