import { defineAdapter } from '../core/define-adapter.js';
import { mapOrBadResponse, parsePayload, perKey } from '../core/batch.js';
import type { CallContext } from '../core/contract.js';
import { missingCaller, toRegistryExtract, xRoadHeaders, xRoadId, xRoadOptionsSchema, xRoadPath } from '../core/x-road.js';
import { BadUserInputError } from '../../domain/errors.js';
import { checkRnokpp, checkVin } from '../../domain/identifiers.js';
import type { Provenance, Vehicle } from '../../domain/model.js';
import { mapVehicles } from './map.js';
import { registrationsSchema } from './payload.js';

/** Calls in flight at once when many owners are asked about (the registry has no batch call). */
const CONCURRENCY = 4;
const REGISTRY = 'Єдиний державний реєстр транспортних засобів МВС';

export default defineAdapter({
  name: 'vehicles-mvs',
  domain: 'vehicles',
  description:
    'MVS service centres vehicle registry (ГСЦ МВС) behind X-Road/Trembita REST: X-Road-Client/UserId/Issue headers, '
    + 'one owner per call (records shaped like the public registrations data set, Cyrillic plates), '
    + 'registration extracts checked against their SHA-256.',
  options: xRoadOptionsSchema,
  credentials: [],
  cacheTtlSeconds: {},
  maxBatchSize: 1,
  create(ctx) {
    const partnerId = ctx.partner.id;
    const provenance = (): Provenance => ({ partnerId, fetchedAt: ctx.clock.now().toISOString(), freshness: 'LIVE' });

    async function vehiclesOf(taxId: string, call: CallContext, source: Provenance): Promise<Vehicle[]> {
      const problem = checkRnokpp(taxId);
      if (problem) throw new BadUserInputError(`the tax id ${problem}`, { partner: partnerId });
      const response = await ctx.http.request('registrationsByOwner', {
        path: xRoadPath(ctx.options, 'registrationsByOwner'),
        searchParams: { taxId },
        headers: xRoadHeaders(partnerId, ctx.options, call),
      });
      ctx.log.debug({ op: 'registrationsByOwner', xRoadId: xRoadId(response.headers) }, 'x-road message');
      const { records } = parsePayload(partnerId, registrationsSchema, response.body, 'registrations answer');
      return mapOrBadResponse(partnerId, 'registration record', () => mapVehicles(records, source));
    }

    return {
      async vehiclesByOwners(taxIds, call) {
        const refused = missingCaller(partnerId, call);
        if (refused) return taxIds.map(() => refused);
        const source = provenance();
        const unique = [...new Set(taxIds)];
        const results = await perKey(unique, CONCURRENCY, (taxId) => vehiclesOf(taxId, call, source));
        const failed = results.filter((r) => r instanceof Error).length;
        if (failed > 0) ctx.log.warn({ op: 'registrationsByOwner', failed }, 'owners the adapter could not read');
        const byTaxId = new Map(unique.map((taxId, i) => [taxId, results[i]]));
        return taxIds.map((taxId) => byTaxId.get(taxId)!);
      },

      async registrationExtract(vin, call) {
        const refused = missingCaller(partnerId, call);
        if (refused) throw refused;
        const normalized = vin.trim().toUpperCase();
        const problem = checkVin(normalized);
        if (problem) throw new BadUserInputError(`the VIN ${problem}`, { partner: partnerId });
        const source = provenance();
        const response = await ctx.http.request('registrationExtract', {
          idempotent: false, // issues an extract: never retried, whatever the method
          path: xRoadPath(ctx.options, 'registrationExtract'),
          searchParams: { vin: normalized },
          headers: xRoadHeaders(partnerId, ctx.options, call),
        });
        ctx.log.debug({ op: 'registrationExtract', xRoadId: xRoadId(response.headers) }, 'x-road message');
        return toRegistryExtract(partnerId, response.body, { registry: REGISTRY, subject: normalized, source });
      },
    };
  },
});
