/**
 * The gateway alone: `npm run start:gateway`. Subgraph URLs come from the checked-in supergraph,
 * or from SUBGRAPH_URL_<NAME> (compose uses them).
 */
import { createLogger } from '../platform/logger.js';
import { listen } from '../platform/serve.js';
import { readCheckedInSupergraph, SUBGRAPH_NAMES } from '../schema/index.js';
import { envInt, envString, shutdownDrainMs, stopOnSignals } from '../platform/env.js';
import { assertRedisReachable } from '../platform/redis.js';
import { createGateway, DEFAULT_ANSWER_BUDGET_MS } from './create-gateway.js';
import { connectLimitRedis } from './limit-redis.js';
import { admissionFromEnv, lookupLimitsFromEnv, trustProxyFromEnv } from './limits-env.js';
import { corsOriginsFromEnv } from './cors.js';
import { readManifest } from '../docs/operations/index.js';
import { openTrail, trailOptionsFromEnv } from '../audit/index.js';
import { createTokenVerifier } from '../identity/verify.js';
import { createAssertionKey } from '../identity/assertion.js';
import { loadDevIssuer } from '../identity/dev-issuer.js';
import { assertionSecretFromEnv, issuerFromEnv, pageClientsFromEnv } from '../stack/auth-env.js';
import { pageSignIn } from './web.js';
import { checkSecrets } from '../stack/secrets.js';
import { startTracing } from '../platform/tracing.js';
import { createGatewayMetrics } from './metrics.js';

const log = createLogger({ service: 'gateway', level: envString(process.env, 'LOG_LEVEL', 'info') });
// Traces go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it no span is made, a caller's traceparent still passed on.
const tracing = startTracing({ service: 'vikno-gateway', env: process.env });

let closeTrail: (() => Promise<void>) | undefined;
try {
  checkSecrets(process.env, 'gateway');
  const drainMs = shutdownDrainMs(process.env);
  const corsOrigins = corsOriginsFromEnv(process.env);
  // An unreachable Redis stops the start within 5 s, before the trail is opened.
  if (process.env.REDIS_URL) await assertRedisReachable(process.env.REDIS_URL);
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.flatMap((n) => (process.env[`SUBGRAPH_URL_${n.toUpperCase()}`] ? [[n, process.env[`SUBGRAPH_URL_${n.toUpperCase()}`]!]] : [])),
  );
  const trail = await openTrail(trailOptionsFromEnv(process.env));
  closeTrail = () => trail.close();
  const configured = issuerFromEnv(process.env);
  const pageClients = pageClientsFromEnv(process.env);
  const issuer = configured ?? (await loadDevIssuer({ env: process.env })).verifierOptions;
  const redisUrl = process.env.REDIS_URL || undefined;
  const limitRedis = redisUrl ? await connectLimitRedis(redisUrl) : undefined;
  const gateway = await createGateway({
    metrics: createGatewayMetrics({ defaultMetrics: true }),
    supergraphSdl: readCheckedInSupergraph(), subgraphUrls, log,
    verifier: createTokenVerifier(issuer),
    // The pages sign in at the configured issuer; the demo OpenID provider runs only in `npm start`.
    pageSignIn: configured ? pageSignIn(configured.issuer, pageClients) : undefined,
    assertionKey: createAssertionKey(assertionSecretFromEnv(process.env)),
    production: process.env.NODE_ENV === 'production',
    manifest: readManifest(),
    trail,
    securityLog: trail.securityLog,
    lookupLimits: lookupLimitsFromEnv(process.env),
    trustProxy: trustProxyFromEnv(process.env),
    admission: admissionFromEnv(process.env),
    corsOrigins,
    redis: limitRedis?.redis,
    hashSecret: process.env.CACHE_KEY_SECRET || undefined,
    // Readiness: without the trail's database answers are withheld; without Redis they flow.
    dependencies: {
      trail: { check: () => trail.ping(), essential: true },
      ...(limitRedis ? { redis: { check: () => limitRedis.ready() } } : {}),
    },
    answerBudgetMs: envInt(process.env, 'ANSWER_BUDGET_MS', DEFAULT_ANSWER_BUDGET_MS, 200, 60_000),
  });
  const server = await listen(gateway.app, {
    host: envString(process.env, 'HOST', '127.0.0.1'),
    port: envInt(process.env, 'PORT', 4000, 0, 65535),
    drainMs,
  });
  log.info({ url: `${server.url}/graphql` }, 'gateway listening');
  // Requests in flight are answered and their trail records written before the trail is closed.
  stopOnSignals(async () => { await server.close(); await gateway.stop(); await trail.close(); await limitRedis?.close(); await tracing.stop(); }, log, { deadlineMs: drainMs + 5000 });
} catch (error) {
  await closeTrail?.().catch(() => undefined); // an open pool would keep the process from exiting
  console.error(`gateway did not start:\n${(error as Error).message}`);
  process.exitCode = 1;
}
