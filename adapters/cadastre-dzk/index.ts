import { defineAdapter } from '../core/define-adapter.js';
import { inCalls, inKeyOrder, mapOrBadResponse, parsePayload } from '../core/batch.js';
import type { CallContext } from '../core/contract.js';
import { missingCaller, toRegistryExtract, xRoadHeaders, xRoadId, xRoadOptionsSchema, xRoadPath } from '../core/x-road.js';
import { BadUserInputError } from '../../domain/errors.js';
import { checkCadastralNumber, checkRnokpp } from '../../domain/identifiers.js';
import type { LandParcel, Provenance } from '../../domain/model.js';
import { mapParcel } from './map.js';
import { ownersEnvelopeSchema, parcelListSchema } from './payload.js';

/** Most tax ids the registry accepts in one parcelsByOwner call (more is HTTP 400). */
const MAX_BATCH = 20;
const REGISTRY = 'Державний земельний кадастр';

export default defineAdapter({
  name: 'cadastre-dzk',
  domain: 'cadastre',
  description:
    'State Geo-Cadastre (Держгеокадастр) behind X-Road/Trembita REST: X-Road-Client/UserId/Issue headers, '
    + 'parcels of up to 20 owners per call, extracts as text documents checked against their SHA-256.',
  options: xRoadOptionsSchema,
  credentials: [],
  cacheTtlSeconds: {},
  maxBatchSize: MAX_BATCH,
  create(ctx) {
    const partnerId = ctx.partner.id;
    const provenance = (): Provenance => ({ partnerId, fetchedAt: ctx.clock.now().toISOString(), freshness: 'LIVE' });

    /** Reads one owner's parcels; a record the adapter cannot read fails that owner only. */
    function readParcels(raw: unknown[], source: Provenance): LandParcel[] | Error {
      try {
        const dtos = parsePayload(partnerId, parcelListSchema, raw, 'parcel list');
        return mapOrBadResponse(partnerId, 'parcel', () => dtos.map((dto) => mapParcel(dto, source)));
      } catch (error) {
        return error as Error;
      }
    }

    /** One parcelsByOwner call for up to MAX_BATCH distinct, valid tax ids. */
    async function lookup(taxIds: string[], call: CallContext, source: Provenance): Promise<Map<string, LandParcel[] | Error>> {
      const query = new URLSearchParams(taxIds.map((taxId): [string, string] => ['taxId', taxId]));
      const response = await ctx.http.request('parcelsByOwner', {
        path: `${xRoadPath(ctx.options, 'parcelsByOwner')}?${query}`,
        headers: xRoadHeaders(partnerId, ctx.options, call),
      });
      ctx.log.debug({ op: 'parcelsByOwner', xRoadId: xRoadId(response.headers) }, 'x-road message');
      const { owners } = parsePayload(partnerId, ownersEnvelopeSchema, response.body, 'parcels-by-owner answer');
      const asked = new Set(taxIds);
      const answers = new Map<string, LandParcel[] | Error>();
      for (const owner of owners) {
        if (asked.has(owner.taxId) && !answers.has(owner.taxId)) answers.set(owner.taxId, readParcels(owner.parcels, source));
      }
      const failed = [...answers.values()].filter((a) => a instanceof Error).length;
      if (failed > 0) ctx.log.warn({ op: 'parcelsByOwner', failed }, 'records the adapter could not read');
      return answers;
    }

    return {
      async parcelsByOwners(taxIds, call) {
        const refused = missingCaller(partnerId, call);
        if (refused) return taxIds.map(() => refused);
        const source = provenance();
        const answers = new Map<string, LandParcel[] | Error>();
        const valid: string[] = [];
        for (const taxId of new Set(taxIds)) {
          // The registry refuses a whole call for one malformed tax id, so those never reach it.
          const problem = checkRnokpp(taxId);
          if (problem) answers.set(taxId, new BadUserInputError(`the tax id ${problem}`, { partner: partnerId }));
          else valid.push(taxId);
        }
        for (const [taxId, answer] of await inCalls<LandParcel[]>(valid, MAX_BATCH, (chunk) => lookup(chunk, call, source))) {
          answers.set(taxId, answer);
        }
        return inKeyOrder(partnerId, taxIds, answers);
      },

      async parcelExtract(cadastralNumber, call) {
        const refused = missingCaller(partnerId, call);
        if (refused) throw refused;
        const problem = checkCadastralNumber(cadastralNumber);
        if (problem) throw new BadUserInputError(`the cadastral number ${problem}`, { partner: partnerId });
        const source = provenance();
        const response = await ctx.http.request('parcelExtract', {
          method: 'POST',
          idempotent: false, // issues an extract: never retried
          path: xRoadPath(ctx.options, 'parcelExtract'),
          json: { cadastralNumber },
          headers: xRoadHeaders(partnerId, ctx.options, call),
        });
        ctx.log.debug({ op: 'parcelExtract', xRoadId: xRoadId(response.headers) }, 'x-road message');
        return toRegistryExtract(partnerId, response.body, { registry: REGISTRY, subject: cadastralNumber, source });
      },
    };
  },
});
