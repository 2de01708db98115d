import { z } from 'zod';
import { cachedTariffs, defineAdapter } from '../core/define-adapter.js';
import { inCalls, inKeyOrder, mapOrBadResponse, parsePayload } from '../core/batch.js';
import { PartnerBadResponseError } from '../../domain/errors.js';
import type { HousingAccount, Provenance, Tariff } from '../../domain/model.js';
import { abonentKeySchema, abonentSchema, abonentsEnvelopeSchema, tariffsSchema, type AbonentDto } from './payload.js';
import { mapAccount, mapTariff } from './map.js';
import { readXml } from './xml.js';

/** Most tax ids the export takes in one call (more is HTTP 400). */
const MAX_BATCH = 20;

export default defineAdapter({
  name: 'housing-kryvyi-rih',
  domain: 'housing',
  description:
    'Municipal housing-maintenance company (Kryvyi Rih): an XML export over HTTP with Basic authentication; '
    + 'up to 20 tax ids a call, DBF-style field names, YYYYMMDD dates, a monthly charge per m² of the flat.',
  options: z.strictObject({}),
  credentials: ['username', 'password'],
  cacheTtlSeconds: { tariffs: 3600 },
  maxBatchSize: MAX_BATCH,
  create(ctx) {
    const partnerId = ctx.partner.id;
    // RFC 7617: user-id and password joined by a colon, UTF-8, base64.
    const headers = { authorization: `Basic ${Buffer.from(`${ctx.secrets.username}:${ctx.secrets.password}`, 'utf8').toString('base64')}` };

    async function getXml(op: string, path: string, searchParams?: Record<string, string>): Promise<unknown> {
      const { body } = await ctx.http.request<string>(op, { path, searchParams, headers, responseType: 'text' });
      const parsed = readXml(body);
      if (parsed === null) throw new PartnerBadResponseError(partnerId, 'the partner answered with a body that is not XML');
      return parsed;
    }

    const tariffs = cachedTariffs(ctx, async (): Promise<Tariff[]> => {
      const { taryfy } = parsePayload(partnerId, tariffsSchema, await getXml('tariffs', '/export/tariffs'), 'tariff list');
      return mapOrBadResponse(partnerId, 'tariff list', () => taryfy.taryf.map((dto) => mapTariff(partnerId, dto)));
    });

    /** One export call: each asked tax id the answer mentions → its accounts or a per-key error. */
    async function lookup(taxIds: string[], source: Provenance): Promise<Map<string, HousingAccount[] | Error>> {
      const envelope = parsePayload(partnerId, abonentsEnvelopeSchema, await getXml('abonents', '/export/abonents', { ipn: taxIds.join(',') }), 'abonents export');
      const asked = new Set(taxIds);
      const records = new Map<string, AbonentDto | Error>();
      for (const raw of envelope.abonents.abonent) {
        const key = abonentKeySchema.safeParse(raw);
        // A record for no one we asked about, or a second one for the same person, is not read.
        if (!key.success || !asked.has(key.data['@IPN']) || records.has(key.data['@IPN'])) continue;
        try {
          records.set(key.data['@IPN'], parsePayload(partnerId, abonentSchema, raw, 'abonent record'));
        } catch (error) {
          records.set(key.data['@IPN'], error as Error);
        }
      }

      const needTariffs = [...records.values()].some((r) => !(r instanceof Error) && r['@ZNAIDENO'] === '1' && r.rakhunok.length > 0);
      const list = needTariffs ? await tariffs().catch((error: unknown) => error as Error) : [];
      const byId = new Map(list instanceof Error ? [] : list.map((t) => [t.id, t]));
      const answers = new Map<string, HousingAccount[] | Error>();
      for (const [taxId, record] of records) {
        if (record instanceof Error || record['@ZNAIDENO'] === '0' || record.rakhunok.length === 0) {
          answers.set(taxId, record instanceof Error ? record : []);
        } else if (list instanceof Error) {
          answers.set(taxId, list); // only the keys that needed the tariffs fail with them
        } else {
          try {
            answers.set(taxId, mapOrBadResponse(partnerId, 'account', () => record.rakhunok.map((a) => mapAccount(a, byId, source))));
          } catch (error) {
            answers.set(taxId, error as Error);
          }
        }
      }
      const failed = [...answers.values()].filter((a) => a instanceof PartnerBadResponseError).length;
      if (failed > 0) ctx.log.warn({ op: 'abonents', failed }, 'records the adapter could not read');
      return answers;
    }

    return {
      async accountsByTaxIds(taxIds) {
        const source: Provenance = { partnerId, fetchedAt: ctx.clock.now().toISOString(), freshness: 'LIVE' };
        const answers = await inCalls<HousingAccount[]>(taxIds, MAX_BATCH, (chunk) => lookup(chunk, source));
        return inKeyOrder(partnerId, taxIds, answers);
      },
      tariffs,
    };
  },
});
