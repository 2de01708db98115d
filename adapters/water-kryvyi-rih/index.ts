import { z } from 'zod';
import { PartnerBadResponseError } from '../../domain/errors.js';
import type { Provenance, WaterAccount } from '../../domain/model.js';
import { cachedTariffs, defineAdapter } from '../core/define-adapter.js';
import { mapOrBadResponse, mapWithTariffs, parsePayload, perKey } from '../core/batch.js';
import type { BatchResult } from '../core/contract.js';
import { accountsPageSchema, tariffsSchema, type AccountPayload } from './payload.js';
import { mapAccount, mapTariffs } from './map.js';

/** The partner answers at most two accounts a page. */
const PER_PAGE = 2;
/** More pages than any owner can have means the partner's paging is broken, not a rich owner. */
const MAX_PAGES = 50;
/**
 * Citizens asked about at once. The partner's limit (20 calls a second per token) is its memorandum
 * quota, which paces every call the core makes; this only keeps one batch from queueing them all.
 */
const CONCURRENCY = 4;


export default defineAdapter({
  name: 'water-kryvyi-rih',
  domain: 'water',
  description:
    'КП «Криворізький водоканал»: REST v2 with a bearer token; accounts by owner, two a page (the adapter follows '
    + 'every page); at most 20 calls a second per token, then 429 with Retry-After: the memorandum quota paces calls '
    + 'within it, and a 429 pauses them for as long as asked.',
  options: z.strictObject({}),
  credentials: ['token'],
  cacheTtlSeconds: { tariffs: 3600 },
  // No batch call: the subgraph hands over all keys and perKey bounds the calls in flight.
  maxBatchSize: 1,
  // One retry: after a 429 it waits out the Retry-After (if that fits the deadline); a second 429 is PARTNER_UNAVAILABLE.
  retryLimit: 1,
  create(ctx) {
    const partnerId = ctx.partner.id;
    const headers = { authorization: `Bearer ${ctx.secrets.token}` };

    async function page(taxId: string, n: number) {
      const { body } = await ctx.http.request('accounts', {
        path: '/api/v2/accounts',
        searchParams: { owner_tax_id: taxId, page: n, per_page: PER_PAGE },
        headers,
      });
      return parsePayload(partnerId, accountsPageSchema, body, 'accounts page');
    }

    async function accountsOf(taxId: string): Promise<AccountPayload[]> {
      const first = await page(taxId, 1);
      const { total, total_pages: pages } = first.meta;
      if (pages > MAX_PAGES) throw new PartnerBadResponseError(partnerId, 'the partner announced more pages than an owner can have');
      const accounts = [...first.data];
      for (let n = 2; n <= pages; n++) accounts.push(...(await page(taxId, n)).data);
      if (accounts.length !== total) throw new PartnerBadResponseError(partnerId, "the partner's pages do not add up to the total it announced");
      return accounts;
    }

    const tariffs = cachedTariffs(ctx, async () => {
      const { body } = await ctx.http.request('tariffs', { path: '/api/v2/tariffs', headers });
      const payload = parsePayload(partnerId, tariffsSchema, body, 'tariffs');
      return mapOrBadResponse(partnerId, 'tariffs', () => mapTariffs(partnerId, payload));
    });

    return {
      tariffs,

      async accountsByTaxIds(taxIds): Promise<BatchResult<WaterAccount[]>> {
        const fetchedAt = ctx.clock.now().toISOString();
        const found = await perKey(taxIds, CONCURRENCY, accountsOf);
        const source: Provenance = { partnerId, fetchedAt, freshness: 'LIVE' };
        return mapWithTariffs(partnerId, found, tariffs, 'accounts', (record, list) => mapAccount(partnerId, record, list, source));
      },
    };
  },
});
