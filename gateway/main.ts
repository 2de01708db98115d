/**
 * The gateway alone: `npm run start:gateway`. Subgraph URLs come from the checked-in supergraph,
 * or from SUBGRAPH_URL_<NAME> (compose uses them).
 */
import { createLogger } from '../adapters/core/logger.js';
import { listen } from '../emulators/kit/serve.js';
import { readCheckedInSupergraph, SUBGRAPH_NAMES } from '../schema/index.js';
import { envInt, envString, stopOnSignals } from '../stack/env.js';
import { createGateway, DEFAULT_ANSWER_BUDGET_MS } from './create-gateway.js';
import { connectLimitRedis } from './limit-redis.js';
import { lookupLimitsFromEnv, trustProxyFromEnv } from './limits-env.js';
import { readManifest } from '../docs/operations/index.js';
import { openTrail, trailOptionsFromEnv } from '../audit/index.js';
import { createTokenVerifier } from '../identity/verify.js';
import { createAssertionKey } from '../identity/assertion.js';
import { loadDevIssuer } from '../identity/dev-issuer.js';
import { assertionSecretFromEnv, issuerFromEnv } from '../stack/auth-env.js';
import { checkSecrets } from '../stack/secrets.js';
import { startTracing } from '../platform/tracing.js';
import { createGatewayMetrics } from './metrics.js';

const log = createLogger({ service: 'gateway', level: envString(process.env, 'LOG_LEVEL', 'info') });
// Traces go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; spans are made (and propagated) either way.
const tracing = startTracing({ service: 'vikno-gateway', env: process.env });

try {
  checkSecrets(process.env, 'gateway');
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.flatMap((n) => (process.env[`SUBGRAPH_URL_${n.toUpperCase()}`] ? [[n, process.env[`SUBGRAPH_URL_${n.toUpperCase()}`]!]] : [])),
  );
  const trail = await openTrail(trailOptionsFromEnv(process.env));
  const issuer = issuerFromEnv(process.env) ?? (await loadDevIssuer({ env: process.env })).verifierOptions;
  const redisUrl = process.env.REDIS_URL || undefined;
  const limitRedis = redisUrl ? await connectLimitRedis(redisUrl) : undefined;
  const gateway = await createGateway({
    metrics: createGatewayMetrics({ defaultMetrics: true }),
    supergraphSdl: readCheckedInSupergraph(), subgraphUrls, log,
    verifier: createTokenVerifier(issuer),
    assertionKey: createAssertionKey(assertionSecretFromEnv(process.env)),
    production: process.env.NODE_ENV === 'production',
    manifest: readManifest(),
    trail,
    securityLog: trail.securityLog,
    lookupLimits: lookupLimitsFromEnv(process.env),
    trustProxy: trustProxyFromEnv(process.env),
    redis: limitRedis?.redis,
    hashSecret: process.env.CACHE_KEY_SECRET || undefined,
    answerBudgetMs: envInt(process.env, 'ANSWER_BUDGET_MS', DEFAULT_ANSWER_BUDGET_MS, 200, 60_000),
  });
  const server = await listen(gateway.app, {
    host: envString(process.env, 'HOST', '127.0.0.1'),
    port: envInt(process.env, 'PORT', 4000, 0, 65535),
  });
  log.info({ url: `${server.url}/graphql` }, 'gateway listening');
  stopOnSignals(async () => { await server.close(); await gateway.stop(); await trail.close(); await limitRedis?.close(); await tracing.stop(); }, log);
} catch (error) {
  console.error(`gateway did not start:\n${(error as Error).message}`);
  process.exitCode = 1;
}
