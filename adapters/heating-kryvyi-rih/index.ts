import pMap from 'p-map';
import { z } from 'zod';
import { cachedTariffs, defineAdapter } from '../core/define-adapter.js';
import { inKeyOrder, mapOrBadResponse, parsePayload, perKey } from '../core/batch.js';
import { PartnerBadResponseError } from '../../domain/errors.js';
import type { HeatingAccount, Provenance, Tariff } from '../../domain/model.js';
import { findAccountsSchema, getAccountSchema, getTariffsSchema } from './payload.js';
import { mapAccount, mapTariff } from './map.js';
import { createSoapClient } from './soap.js';


const options = z.strictObject({
  concurrency: z.int().min(1).max(16).default(4)
    .describe('Citizens looked up at once (the service has no batch call: one FindAccountsByTaxId per citizen).'),
  accountConcurrency: z.int().min(1).max(8).default(2)
    .describe('GetAccount calls at once for one citizen\'s accounts.'),
});

export default defineAdapter({
  name: 'heating-kryvyi-rih',
  domain: 'heating',
  description:
    'Municipal district-heating company (Kryvyi Rih): legacy SOAP 1.1 billing service with a WS-Security '
    + 'UsernameToken, one account per call, dd.mm.yyyy dates and decimal commas.',
  options,
  credentials: ['username', 'password'],
  cacheTtlSeconds: { tariffs: 3600 },
  maxBatchSize: 1,
  create(ctx) {
    const partnerId = ctx.partner.id;
    const soap = createSoapClient(ctx.http, partnerId, { username: ctx.secrets.username, password: ctx.secrets.password });

    async function loadTariffs(): Promise<Tariff[]> {
      const answer = parsePayload(partnerId, getTariffsSchema, await soap.call('GetTariffs'), 'tariff list');
      return mapOrBadResponse(partnerId, 'tariff list', () => answer.GetTariffsResult.map((dto) => mapTariff(partnerId, dto)));
    }

    const tariffs = cachedTariffs(ctx, loadTariffs);

    async function getAccount(accountNumber: string) {
      const { GetAccountResult: account } = parsePayload(partnerId, getAccountSchema, await soap.call('GetAccount', { OsRakhunok: accountNumber }), 'account');
      // Never hand one citizen an account the partner sent for another number.
      if (account.OsRakhunok !== accountNumber) throw new PartnerBadResponseError(partnerId, 'the partner answered for another account than the one asked for');
      return account;
    }

    async function accountsOf(taxId: string, source: Provenance): Promise<HeatingAccount[]> {
      const found = parsePayload(partnerId, findAccountsSchema, await soap.call('FindAccountsByTaxId', { Ipn: taxId }), 'account list');
      const numbers = [...new Set(found.FindAccountsByTaxIdResult)];
      if (numbers.length === 0) return [];
      const [list, accounts] = await Promise.all([
        tariffs(),
        pMap(numbers, getAccount, { concurrency: ctx.options.accountConcurrency }),
      ]);
      const byId = new Map(list.map((t) => [t.id, t]));
      return mapOrBadResponse(partnerId, 'account', () => accounts.map((a) => mapAccount(a, byId, source)));
    }

    return {
      async accountsByTaxIds(taxIds) {
        const source: Provenance = { partnerId, fetchedAt: ctx.clock.now().toISOString(), freshness: 'LIVE' };
        const unique = [...new Set(taxIds)];
        const results = await perKey(unique, ctx.options.concurrency, (taxId) => accountsOf(taxId, source));
        return inKeyOrder(partnerId, taxIds, new Map(unique.map((taxId, i) => [taxId, results[i]])));
      },
      tariffs,
    };
  },
});
