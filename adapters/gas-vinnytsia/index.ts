import { z } from 'zod';
import { cachedTariffs, defineAdapter } from '../core/define-adapter.js';
import { inCalls, inKeyOrder, mapOrBadResponse, mapWithTariffs, parsePayload } from '../core/batch.js';
import type { BatchResult } from '../core/contract.js';
import { PartnerBadResponseError } from '../../domain/errors.js';
import type { GasAccount, Provenance } from '../../domain/model.js';
import { readExport } from './csv.js';
import { ABONENT_COLUMNS, TARIFF_COLUMNS, tariffRowsSchema, type AccountRecord } from './payload.js';
import { recordsByTaxId } from './records.js';
import { mapAccount, mapTariffs } from './map.js';

/** Most tax ids one export call takes (more is HTTP 413). */
const MAX_BATCH = 100;

export default defineAdapter({
  name: 'gas-vinnytsia',
  domain: 'gas',
  description:
    'Gas distribution company (Vinnytsia oblast): a legacy 1C billing export over HTTP with Basic auth. Tax ids go '
    + 'one a line in a text/plain body (at most 100 per call); the answer is windows-1251 CSV (`;`, decimal commas, '
    + 'dd.mm.yyyy) with account (A), bill (B) and reading (R) rows. A tax id with no rows has no records.',
  options: z.strictObject({}),
  credentials: ['login', 'password'],
  cacheTtlSeconds: { tariffs: 3600 },
  maxBatchSize: MAX_BATCH,
  create(ctx) {
    const partnerId = ctx.partner.id;
    const basic = Buffer.from(`${ctx.secrets.login}:${ctx.secrets.password}`, 'utf8').toString('base64');
    const headers = { authorization: `Basic ${basic}` };

    const tariffs = cachedTariffs(ctx, async () => {
      const { body } = await ctx.http.request('tariffs', { path: '/export/tariffs', headers, responseType: 'buffer' });
      const rows = parsePayload(partnerId, tariffRowsSchema, readExport(partnerId, body, TARIFF_COLUMNS, 'tariff catalogue'), 'tariff catalogue');
      return mapOrBadResponse(partnerId, 'tariff catalogue', () => mapTariffs(partnerId, rows));
    });

    /** One export call: every asked tax id → its account records or a per-key error. */
    async function exportAbonents(taxIds: string[]): Promise<Map<string, AccountRecord[] | Error>> {
      const { body } = await ctx.http.request('abonents', {
        method: 'POST',
        idempotent: true, // a read: safe to retry
        path: '/export/abonents',
        body: `${taxIds.join('\r\n')}\r\n`,
        headers: { ...headers, 'content-type': 'text/plain; charset=windows-1251' },
        responseType: 'buffer',
      });
      return recordsByTaxId(partnerId, taxIds, readExport(partnerId, body, ABONENT_COLUMNS, 'abonents export'));
    }

    return {
      async accountsByTaxIds(taxIds): Promise<BatchResult<GasAccount[]>> {
        const source: Provenance = { partnerId, fetchedAt: ctx.clock.now().toISOString(), freshness: 'LIVE' };
        const unique = [...new Set(taxIds)];
        const answers = await inCalls<AccountRecord[]>(unique, MAX_BATCH, exportAbonents);
        const found = inKeyOrder(partnerId, unique, answers);
        const mapped = await mapWithTariffs(partnerId, found, tariffs, 'account', (record, list) => mapAccount(record, list, source));
        const failed = mapped.filter((r) => r instanceof PartnerBadResponseError).length;
        if (failed > 0) ctx.log.warn({ op: 'abonents', failed }, 'records the adapter could not read');
        return inKeyOrder(partnerId, taxIds, new Map(unique.map((taxId, i) => [taxId, mapped[i]])));
      },
      tariffs,
    };
  },
});
