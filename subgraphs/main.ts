/**
 * One subgraph alone: `SUBGRAPH=<name> npm run start:subgraph`. Partners come from the memorandum;
 * their credentials from the environment variables it names; PARTNER_URL_<ID> replaces a base URL.
 */
import { systemClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import { createPartners } from '../adapters/core/partners.js';
import { createStatusBoard } from '../adapters/core/status-board.js';
import { createSharedStore } from '../platform/store.js';
import { createKeyedHash } from '../platform/keyed-hash.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum } from '../domain/memorandum.js';
import { loadAdapters } from '../adapters/registry.js';
import { listen } from '../platform/serve.js';
import { SUBGRAPH_NAMES, SUBGRAPHS, type SubgraphName } from '../schema/index.js';
import { ConfigError, envInt, envString, partnerUrlOverrides, shutdownDrainMs, stopOnSignals } from '../platform/env.js';
import { createSubgraphByName } from './index.js';
import { createAssertionKey } from '../identity/assertion.js';
import { assertionSecretFromEnv } from '../stack/auth-env.js';
import { checkSecrets } from '../stack/secrets.js';
import { openTrail, trailOptionsFromEnv } from '../audit/index.js';
import { startTracing } from '../platform/tracing.js';
import { createMetrics } from '../platform/metrics.js';
import { watchStore } from '../platform/store-metrics.js';

const log = createLogger({ service: 'subgraph', level: envString(process.env, 'LOG_LEVEL', 'info') });

try {
  const name = envString(process.env, 'SUBGRAPH', '') as SubgraphName;
  if (!SUBGRAPH_NAMES.includes(name)) throw new ConfigError(`SUBGRAPH: must be one of ${SUBGRAPH_NAMES.join(', ')}, got "${name}"`);
  // Traces go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it no span is made, a caller's traceparent still passed on.
  const tracing = startTracing({ service: `vikno-subgraph-${name}`, env: process.env });
  const metrics = createMetrics({ process: true });
  checkSecrets(process.env, name === 'centre' ? 'centre' : 'subgraph');
  const file = envString(process.env, 'MEMORANDUM', DEFAULT_MEMORANDUM_FILE);
  const memorandum = await loadMemorandum(file);
  // With REDIS_URL every subgraph and replica shares the caches and the partners' status board;
  // without it each process has its own, and the centre reports UNKNOWN for partners others call.
  const redisUrl = process.env.REDIS_URL || undefined;
  const secret = process.env.CACHE_KEY_SECRET || undefined;
  if (redisUrl && !secret) throw new ConfigError('CACHE_KEY_SECRET: must be set with REDIS_URL, the same on every replica sharing the cache');
  const store = await createSharedStore(redisUrl, { cacheKeySecret: secret, log });
  watchStore(metrics.registry, store.kind, store.stats);
  const statusBoard = createStatusBoard({ keyv: store.keyv('partner-status'), clock: systemClock });
  const partners = name === 'centre' ? [] : createPartners({
    metrics,
    memorandum, adapters: await loadAdapters(memorandum), env: process.env, log, clock: systemClock, domains: [name], statusBoard,
    store, hash: createKeyedHash(secret),
    baseUrls: partnerUrlOverrides(process.env, memorandum.partners.map((p) => p.id)),
  });
  const assertionKey = createAssertionKey(assertionSecretFromEnv(process.env));
  // The centre reads citizens' access trails; it shares the gateway's PostgreSQL (DATABASE_URL).
  const trail = name === 'centre' && process.env.DATABASE_URL ? await openTrail(trailOptionsFromEnv(process.env)) : undefined;
  const subgraph = await createSubgraphByName(name, { partners, log, memorandum, statusBoard, assertionKey, trail, metrics });
  // Readiness details the gateway reads from /healthz.
  if (store.kind === 'redis') subgraph.dependencies.redis = { check: () => store.state() === 'up' };
  if (trail) subgraph.dependencies.trail = { check: () => trail.ping() };
  const drainMs = shutdownDrainMs(process.env);
  const server = await listen(subgraph.app, {
    host: envString(process.env, 'HOST', '127.0.0.1'),
    port: envInt(process.env, 'PORT', SUBGRAPHS[name].defaultPort, 0, 65535),
    drainMs,
  });
  log.info({ subgraph: name, url: `${server.url}/graphql` }, 'subgraph listening');
  stopOnSignals(async () => { await server.close(); await subgraph.stop(); await store.close(); await trail?.close(); await tracing.stop(); }, log, { deadlineMs: drainMs + 5000 });
} catch (error) {
  console.error(`subgraph did not start:\n${(error as Error).message}`);
  process.exitCode = 1;
}
