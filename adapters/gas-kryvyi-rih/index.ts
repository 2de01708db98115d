import { z } from 'zod';
import { cachedTariffs, defineAdapter } from '../core/define-adapter.js';
import { inCalls, inKeyOrder, mapOrBadResponse, parsePayload } from '../core/batch.js';
import { PartnerBadResponseError } from '../../domain/errors.js';
import type { GasAccount, Provenance, Tariff } from '../../domain/model.js';
import { lookupEnvelopeSchema, lookupResultSchema, tariffListSchema } from './payload.js';
import { mapAccount, mapTariff } from './map.js';

/** Most tax ids the distributor accepts in one batch lookup (more is HTTP 400). */
const MAX_BATCH = 50;

export default defineAdapter({
  name: 'gas-kryvyi-rih',
  domain: 'gas',
  description:
    'Regional gas distribution company (Kryvyi Rih): REST/JSON with an X-Api-Key header, batch lookup of up to '
    + '50 tax ids per call, amounts in kopiyky, EIC codes of metering points.',
  options: z.strictObject({}),
  credentials: ['apiKey'],
  cacheTtlSeconds: { tariffs: 3600 },
  maxBatchSize: MAX_BATCH,
  create(ctx) {
    const partnerId = ctx.partner.id;
    const headers = { 'x-api-key': ctx.secrets.apiKey };

    async function loadTariffs(): Promise<Tariff[]> {
      const response = await ctx.http.request('tariffs', { path: '/api/v1/tariffs', headers });
      const dtos = parsePayload(partnerId, tariffListSchema, response.body, 'tariff list');
      return mapOrBadResponse(partnerId, 'tariff list', () => dtos.map((dto) => mapTariff(partnerId, dto)));
    }

    const tariffs = cachedTariffs(ctx, loadTariffs);

    /** One batch lookup: each asked tax id the answer mentions → its accounts or a per-key error. */
    async function lookup(taxIds: string[], source: Provenance): Promise<Map<string, GasAccount[] | Error>> {
      const response = await ctx.http.request('batchLookup', {
        method: 'POST',
        idempotent: true, // a read: safe to retry
        path: '/api/v1/accounts:batchLookup',
        json: { taxIds },
        headers,
      });
      const { results } = parsePayload(partnerId, lookupEnvelopeSchema, response.body, 'batch lookup answer');
      const asked = new Set(taxIds);
      const parsed = new Map<string, z.infer<typeof lookupResultSchema> | Error>();
      for (const raw of results) {
        if (!asked.has(raw.taxId) || parsed.has(raw.taxId)) continue;
        try {
          parsed.set(raw.taxId, parsePayload(partnerId, lookupResultSchema, raw, 'lookup result'));
        } catch (error) {
          parsed.set(raw.taxId, error as Error);
        }
      }
      const needTariffs = [...parsed.values()].some((r) => !(r instanceof Error) && r.found && r.accounts.length > 0);
      const byId = new Map((needTariffs ? await tariffs() : []).map((t) => [t.id, t]));

      const answers = new Map<string, GasAccount[] | Error>();
      for (const [taxId, result] of parsed) {
        if (result instanceof Error || !result.found) {
          answers.set(taxId, result instanceof Error ? result : []);
          continue;
        }
        try {
          answers.set(taxId, mapOrBadResponse(partnerId, 'account', () => result.accounts.map((a) => mapAccount(a, byId, source))));
        } catch (error) {
          answers.set(taxId, error as Error);
        }
      }
      const failed = [...answers.values()].filter((a) => a instanceof PartnerBadResponseError).length;
      if (failed > 0) ctx.log.warn({ op: 'batchLookup', failed }, 'records the adapter could not read');
      return answers;
    }

    return {
      async accountsByTaxIds(taxIds) {
        const source: Provenance = { partnerId, fetchedAt: ctx.clock.now().toISOString(), freshness: 'LIVE' };
        const answers = await inCalls<GasAccount[]>(taxIds, MAX_BATCH, (chunk) => lookup(chunk, source));
        return inKeyOrder(partnerId, taxIds, answers);
      },
      tariffs,
    };
  },
});
