import { declarationOf, type Domain } from '../../domain/domains.js';

/** The operations a domain's contract asks for (its declaration, domain/domains.ts), as skeleton code. */
function operationsOf(domain: Domain): { batch: string; single: string; type: string; singleArg: string } {
  const d = declarationOf(domain);
  return d.kind === 'utility'
    ? { batch: 'accountsByTaxIds', single: 'tariffs', type: d.itemType, singleArg: '' }
    : { batch: d.listOperation, single: d.extractOperation, type: d.itemType, singleArg: d.extractSubject };
}

const todo = (id: string, what: string) => `new PartnerBadResponseError('${id}', 'not implemented yet: ${what} (docs/ONBOARDING.md)')`;

export function adapterTemplate(id: string, domain: Domain): string {
  const ops = operationsOf(domain);
  const single = ops.singleArg ? `${ops.single}(${ops.singleArg}, call)` : `${ops.single}: cachedTariffs(ctx, async () =>`;
  const singleBody = ops.singleArg
    ? `      async ${single} {
        // TODO: one call issuing the document; check its SHA-256 (see adapters/core/x-road.ts).
        void call;
        throw ${todo(id, ops.single)};
      },`
    : `      // TODO: load the published tariffs and map them (cached across requests for cacheTtlSeconds.tariffs).
      ${single} {
        throw ${todo(id, 'tariffs')};
      }),`;
  return `import { z } from 'zod';
import { ${ops.singleArg ? '' : 'cachedTariffs, '}defineAdapter } from '../core/define-adapter.js';
import { perKey } from '../core/batch.js';
import { PartnerBadResponseError } from '../../domain/errors.js';
import type { ${ops.type} } from '../../domain/model.js';

/**
 * ${id}: TODO one sentence on the partner's system and its dialect (protocol, auth, formats).
 * The contract this implements is adapters/core/contract.ts; docs/ONBOARDING.md walks through it.
 */
export default defineAdapter({
  name: '${id}',
  domain: '${domain}',
  description: 'TODO: the partner system and its dialect',
  // Settings of your own beyond the connection block (validated at start-up; errors name the field).
  options: z.strictObject({}),
  // Credentials by name; the memorandum maps each name to an environment variable.
  credentials: [],
  cacheTtlSeconds: { tariffs: 3600 },
  // How many tax ids one call to your system may carry; 1 if it has no batch call.
  maxBatchSize: 1,
  create(ctx) {
    /** TODO: one call to your system for one person; [] when it has no records for them. */
    async function recordsOf(taxId: string): Promise<${ops.type}[]> {
      // e.g. const { body } = await ctx.http.request('lookup', { path: '/…', searchParams: { … } });
      //      const payload = parsePayload(ctx.partner.id, yourSchema, body, 'lookup answer');
      //      return mapOrBadResponse(ctx.partner.id, 'lookup answer', () => payload.map(…));
      void taxId;
      throw ${todo(id, ops.batch)};
    }

    return {
      // Same length and order as the keys; a failing key is an Error in its place (batch rule).
      ${ops.batch}: (taxIds, _call) => perKey(taxIds, 4, recordsOf),
${singleBody}
    };
  },
});
`;
}

export function testTemplate(id: string, domain: Domain): string {
  const ops = operationsOf(domain);
  return `import { readFileSync } from 'node:fs';
import nock from 'nock';
import adapter from '../../adapters/${id}/index.js';
import { buildAdapter } from './harness.js';
import { useNock } from '../helpers/nock.js';

useNock();

// TODO: your test system's base URL (any URL: nock answers instead of your system).
const BASE_URL = 'https://partner.example';
const fixture = (name: string) => readFileSync(new URL(\`../fixtures/${id}/\${name}\`, import.meta.url), 'utf8');

describe('${id} adapter', () => {
  it('maps a customer\\'s records from the partner\\'s answer', async () => {
    // TODO: the request your adapter makes, answered with a real (anonymised) answer saved in
    // test/fixtures/${id}/customer.json; then write the whole mapped result you expect below.
    nock(BASE_URL).get(/.*/).reply(200, fixture('customer.json'));
    const { ops } = buildAdapter(adapter, { baseUrl: BASE_URL });
    expect(await ops.${ops.batch}(['3111901220'], { requestId: 'test' })).toEqual([
      [/* TODO: the ${ops.type} objects you expect */],
    ]);
  });

  // Next: an unknown person → [], your system's 4xx/5xx/timeout/garbage → catalogued errors.
  // Then run the conformance suite: npm run partner:check -- ${id}
});
`;
}

export function memorandumEntry(id: string, domain: Domain, today: string): string {
  return `
  # Scaffolded ${today}: fill in the TODOs, pass \`npm run partner:check -- ${id}\`, then set enabled: true.
  - id: ${id}
    name: "TODO: legal name"
    edrpou: "00000000" # TODO: your ЄДРПОУ (its check digit is validated)
    domain: ${domain}
    region: "TODO: the region you serve"
    joined: ${today}
    adapter: ${id}
    enabled: false
    connection:
      baseUrl: https://partner.example # TODO: your test system
      timeoutMs: 2000
      maxBatch: 1 # TODO: the most tax ids your API takes in one call
      quota: { callsPerSecond: 10, inFlight: 4 } # TODO: what your API allows
      credentials: {} # e.g. { apiKey: ${id.toUpperCase().replace(/-/g, '_')}_API_KEY }
      cacheTtlSeconds: { tariffs: 3600 }
`;
}
