import { z } from 'zod';
import { PartnerBadResponseError } from '../../domain/errors.js';
import type { ElectricityAccount, Provenance } from '../../domain/model.js';
import { cachedTariffs, defineAdapter } from '../core/define-adapter.js';
import { mapOrBadResponse, mapWithTariffs, parsePayload, perKey } from '../core/batch.js';
import type { BatchResult } from '../core/contract.js';
import { meteringPointsSchema, notFoundSchema, tariffsSchema, type MeteringPointPayload } from './payload.js';
import { mapMeteringPoint, mapTariffs } from './map.js';
import { createAuthorizedHttp, refusal } from './token.js';

/** Calls in flight at once; the supplier has no batch call. */
const CONCURRENCY = 4;


export default defineAdapter({
  name: 'electricity-kryvyi-rih',
  domain: 'electricity',
  description:
    'ТОВ «Криворізька енергопостачальна компанія»: REST/JSON behind OAuth2 client credentials (tokens live 5 minutes '
    + 'and are renewed in memory); metering points by customer, one call each; single, two- and three-zone tariffs.',
  options: z.strictObject({}),
  credentials: ['clientId', 'clientSecret'],
  cacheTtlSeconds: { tariffs: 3600 },
  // No batch call: the subgraph hands over all keys and perKey bounds the calls in flight.
  maxBatchSize: 1,
  create(ctx) {
    const partnerId = ctx.partner.id;
    const api = createAuthorizedHttp(ctx);

    async function pointsOf(taxId: string): Promise<MeteringPointPayload[]> {
      try {
        const { body } = await api.request('meteringPoints', { path: `/api/customers/${encodeURIComponent(taxId)}/metering-points` });
        return parsePayload(partnerId, meteringPointsSchema, body, 'metering points').meteringPoints;
      } catch (error) {
        const answer = refusal(error);
        if (answer?.statusCode !== 404) throw error;
        // "No such customer" is the partner saying it has no records; any other 404 is not.
        if (notFoundSchema.safeParse(answer.body).success) return [];
        throw new PartnerBadResponseError(partnerId, 'the partner answered 404 without saying the customer is unknown', { cause: error });
      }
    }

    const tariffs = cachedTariffs(ctx, async () => {
      const { body } = await api.request('tariffs', { path: '/api/tariffs' });
      const payload = parsePayload(partnerId, tariffsSchema, body, 'tariffs');
      return mapOrBadResponse(partnerId, 'tariffs', () => mapTariffs(partnerId, payload));
    });

    return {
      tariffs,

      async accountsByTaxIds(taxIds): Promise<BatchResult<ElectricityAccount[]>> {
        const fetchedAt = ctx.clock.now().toISOString();
        const found = await perKey(taxIds, CONCURRENCY, pointsOf);
        const source: Provenance = { partnerId, fetchedAt, freshness: 'LIVE' };
        return mapWithTariffs(partnerId, found, tariffs, 'metering points', (record, list) => mapMeteringPoint(partnerId, record, list, source));
      },
    };
  },
});
