import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { isViknoError, PartnerBadResponseError } from '../../domain/errors.js';
import type { Partner } from '../../adapters/core/partners.js';
import type { Provenance } from '../../domain/model.js';
import type { SubgraphContext } from './context.js';
import { viknoToGraphQLError } from './errors.js';

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
  settled.forEach((s, i) => context.partnerOutcomes.push({
    partner: partners[i].ref.id,
    outcome: s.status === 'rejected' ? (isViknoError(s.reason) ? s.reason.code : 'INTERNAL_SERVER_ERROR')
      : s.value.some((item) => (item as { source?: Provenance }).source?.freshness === 'STALE') ? 'STALE' : 'ANSWERED',
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
  const items = answers.flat();
  warnAboutStale(items, context, info.fieldName);
  return items;
}

/** One warning per partner whose part of the field is a stale copy, naming when it was fetched. */
function warnAboutStale(items: readonly unknown[], context: SubgraphContext, field: string): void {
  const oldest = new Map<string, string>();
  for (const item of items) {
    const source = (item as { source?: Provenance }).source;
    if (source?.freshness !== 'STALE') continue;
    const seen = oldest.get(source.partnerId);
    if (!seen || source.fetchedAt < seen) oldest.set(source.partnerId, source.fetchedAt);
  }
  for (const [partner, fetchedAt] of oldest) {
    context.warnings.push({
      code: 'STALE_DATA', partner, field, fetchedAt,
      message: `the partner could not answer now; ${field} shows its data as fetched at ${fetchedAt}`,
    });
  }
}
