import { randomBytes } from 'node:crypto';
import type { Logger } from '../platform/logger.js';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import { createPartners, type Partner } from '../adapters/core/partners.js';
import { createStatusBoard } from '../adapters/core/status-board.js';
import { createSharedStore, type SharedStore } from '../platform/store.js';
import { createKeyedHash } from '../platform/keyed-hash.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, type Memorandum, type PartnerEntry } from '../domain/memorandum.js';
import { loadAdapters } from '../adapters/registry.js';
import { EMULATORS } from '../emulators/registry.js';
import type { Emulator, EmulatorFactory, Faults } from '../emulators/kit/emulator.js';
import { listen, type RunningServer } from '../platform/serve.js';
import { createPopulation, type Population } from '../emulators/population/index.js';
import { createSubgraphByName } from '../subgraphs/index.js';
import { readCheckedInSupergraph, SUBGRAPH_NAMES, type SubgraphName } from '../schema/index.js';
import { createGateway } from '../gateway/create-gateway.js';
import { readManifest } from '../docs/operations/index.js';
import { createAssertionKey } from '../identity/assertion.js';
import { createMultiIssuerVerifier, type TokenVerifierOptions } from '../identity/verify.js';
import { createDemoProvider, DEMO_PROVIDER_PATH, type DemoProvider } from './demo-provider.js';
import { DEFAULT_PAGE_CLIENTS } from './auth-env.js';
import { createAddressLimiter } from '../gateway/address-limiter.js';
import { pageSignIn, type WebApp } from '../gateway/web.js';
import type { RequestListener } from 'node:http';
import { loadDevIssuer, type DevIssuer } from '../identity/dev-issuer.js';
import type { TrailWriter } from '../gateway/access.js';
import type { SecurityLogWriter } from '../gateway/authenticate.js';
import type { GatewayOptions } from '../gateway/create-gateway.js';
import type { LookupLimits } from '../gateway/lookup-limiter.js';
import { connectLimitRedis } from '../gateway/limit-redis.js';
import type { AccessTrail } from '../subgraphs/centre/access-log.js';
import { createGatewayMetrics, type GatewayMetrics } from '../gateway/metrics.js';
import { createMetrics, type Metrics } from '../platform/metrics.js';
import { watchStore } from '../platform/store-metrics.js';

/**
 * The embedded default: every emulated partner, every subgraph and the gateway in one process on
 * loopback. Emulators and subgraphs take free ports; the gateway takes `gatewayPort`. The same
 * factories run one per process in docker-compose; this only wires them together.
 */
export interface StackOptions {
  log: Logger;
  gatewayPort?: number;
  host?: string;
  memorandum?: Memorandum;
  seed?: string;
  populationSize?: number;
  asOf?: string;
  clock?: Clock;
  /**
   * Credentials for partners no emulator stands in for (a partner connecting its own test system):
   * their memorandum base URL is used as it is. process.env in `npm start`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Redis for the caches and the status board; in memory without it. */
  redisUrl?: string;
  /** Secret of the keyed hash in cache keys: replicas sharing Redis must share it. Made up per run without Redis. */
  cacheKeySecret?: string;
  /**
   * The token issuer to trust. Without it the development issuer is used (its key in `devIssuerDir`,
   * `.vikno/` by default), which refuses to run when NODE_ENV=production.
   */
  issuer?: TokenVerifierOptions;
  devIssuerDir?: string;
  /**
   * The pages' client ids at the configured issuer (CONSOLE_CLIENT_ID, PORTAL_CLIENT_ID). Without
   * a configured issuer the demo OpenID provider serves the pages, with its own clients.
   */
  pageClients?: Readonly<Record<WebApp, string>>;
  /**
   * In the embedded default (no `issuer`), whether the demo OpenID provider serves the pages'
   * sign-in (default true). Tests that sign no page in leave it out: it is a large library to load.
   */
  demoProvider?: boolean;
  /** The secret of the gateway's assertions to the subgraphs; made up per run when not given. */
  assertionSecret?: string;
  /** The access trail (audit/): written by the gateway before any partner is asked, read by the centre. */
  trail: TrailWriter & AccessTrail & { ping?(timeoutMs?: number): Promise<boolean> };
  /** Where the gateway logs refusals of unauthenticated callers. */
  securityLog?: SecurityLogWriter;
  /** Distinct people per principal and window (default DEFAULT_LOOKUP_LIMITS). */
  lookupLimits?: LookupLimits;
  /** Failed authentications per client address and window. */
  addressLimit?: GatewayOptions['addressLimit'];
  /** When the gateway refuses new work with 503 (gateway/admission.ts). */
  admission?: GatewayOptions['admission'];
  /** Origins whose browsers may call the gateway's /graphql (CORS_ORIGINS); none by default. */
  corsOrigins?: GatewayOptions['corsOrigins'];
  production?: boolean;
  /** Faults to start each emulator with, by partner id. */
  faults?: Readonly<Record<string, Partial<Faults>>>;
  /** Draws in [0, 1) for each emulator's fault rates and jitter, by partner id (default Math.random): tests script them. */
  random?: Readonly<Record<string, () => number>>;
  /**
   * The process's one registry (platform/metrics.ts), shared by the partners, every subgraph and
   * the gateway: each one's GET /metrics serves all of it. A new one without process metrics by default.
   */
  metrics?: Metrics;
  /** How long stop() lets requests in flight finish, in each tier, before cutting them (SHUTDOWN_DRAIN_MS; default 10 s). */
  shutdownDrainMs?: number;
  /** The bound on each cache operation in Redis, after which it is a miss (default 50 ms). */
  cacheTimeoutMs?: number;
  /** How long an answer may take, partners included (ANSWER_BUDGET_MS; default the gateway's 2500 ms). */
  answerBudgetMs?: number;
  /** Milliseconds of a monotonic clock the partners' quotas keep time by (default performance.now): tests script it. */
  quotaNow?: () => number;
  /** Emulators by partner id that stand in for the registry's (a test gives one a rate limit of its own). */
  emulators?: Readonly<Record<string, EmulatorFactory>>;
}

export interface RunningStack {
  gatewayUrl: string;
  population: Population;
  partners: readonly Partner[];
  emulators: ReadonlyMap<string, { emulator: Emulator; url: string }>;
  store: SharedStore;
  /** The development issuer, when no other issuer was configured: tests and the demo sign tokens with it. */
  devIssuer?: DevIssuer;
  /** The demo OpenID provider the pages sign in with, when no other issuer was configured. */
  identityProvider?: Pick<DemoProvider, 'issuer'>;
  /** The gateway's origin, where the pages are (http://127.0.0.1:4000). */
  origin: string;
  /** The secret subgraphs verify the gateway's assertions with (for tests that call a subgraph directly). */
  assertionKey: ReturnType<typeof createAssertionKey>;
  subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** The gateway's Prometheus metrics. */
  metrics: GatewayMetrics;
  stop(): Promise<void>;
}

/**
 * Secrets for the emulated partners, made up for this run only: the emulators accept them and the
 * adapters send them, so no demo secret is written anywhere.
 */
function generateSecrets(memorandum: Memorandum): Record<string, string> {
  const variables = memorandum.partners.flatMap((p) => Object.values(p.connection.credentials));
  return Object.fromEntries(variables.map((v) => [v, randomBytes(18).toString('base64url')]));
}

function credentialsOf(entry: PartnerEntry, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entry.connection.credentials).map(([name, variable]) => [name, env[variable]]));
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { log } = options;
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const memorandum = options.memorandum ?? (await loadMemorandum(DEFAULT_MEMORANDUM_FILE));
  const generated = generateSecrets(memorandum);
  const population = createPopulation({ seed: options.seed, size: options.populationSize, asOf: options.asOf });
  if (options.redisUrl && !options.cacheKeySecret) {
    throw new Error('CACHE_KEY_SECRET: must be set with REDIS_URL, the same on every replica sharing the cache');
  }
  const devIssuer = options.issuer ? undefined : await loadDevIssuer({ dir: options.devIssuerDir, env: process.env });
  const assertionKey = createAssertionKey(options.assertionSecret);
  const store = await createSharedStore(options.redisUrl, { cacheKeySecret: options.cacheKeySecret, log, timeoutMs: options.cacheTimeoutMs });
  const hash = createKeyedHash(options.cacheKeySecret);
  const metrics = options.metrics ?? createMetrics();
  watchStore(metrics.registry, store.kind, store.stats);
  const servers: RunningServer[] = [];
  const [emulatorServers, subgraphServers, subgraphStops]: [RunningServer[], RunningServer[], Array<() => Promise<void>>] = [[], [], []];
  const stops: Array<() => Promise<void>> = [store.close];
  const limitRedis = options.redisUrl ? await connectLimitRedis(options.redisUrl) : undefined;
  if (limitRedis) stops.push(limitRedis.close);

  try {
    const emulators = new Map<string, { emulator: Emulator; url: string }>();
    for (const entry of memorandum.partners.filter((p) => p.enabled)) {
      const factory = options.emulators?.[entry.id] ?? EMULATORS[entry.id];
      if (!factory) {
        log.warn({ partner: entry.id }, 'no emulator stands in for this partner: using its memorandum base URL');
        continue;
      }
      const emulator = factory({ population, credentials: credentialsOf(entry, generated), clock, faults: options.faults?.[entry.id], random: options.random?.[entry.id] });
      const server = await listen(emulator.app, { host, drainMs: options.shutdownDrainMs });
      servers.push(server);
      emulatorServers.push(server);
      emulators.set(entry.id, { emulator, url: server.url });
    }

    // One store for the whole process (or all replicas, with Redis): the partners' caches and the status board.
    const statusBoard = createStatusBoard({ keyv: store.keyv('partner-status'), clock });
    // Emulated partners get this run's generated credentials; the others, the ones handed in.
    const emulated = new Set(emulators.keys());
    const env = { ...options.env, ...Object.fromEntries(memorandum.partners.filter((p) => emulated.has(p.id))
      .flatMap((p) => Object.values(p.connection.credentials).map((v) => [v, generated[v]]))) };
    const partners = createPartners({
      memorandum, adapters: await loadAdapters(memorandum), env, log, clock, store, hash, statusBoard, quotaNow: options.quotaNow,
      baseUrls: Object.fromEntries([...emulators].map(([id, e]) => [id, e.url])), metrics,
    });

    const subgraphUrls = {} as Record<SubgraphName, string>;
    for (const name of SUBGRAPH_NAMES) {
      const subgraph = await createSubgraphByName(name, { partners, log, memorandum, statusBoard, assertionKey, trail: options.trail, metrics });
      stops.push(subgraph.stop);
      subgraphStops.push(subgraph.stop);
      // Readiness details for the gateway: Redis behind the caches, and the trail the centre reads.
      if (store.kind === 'redis') subgraph.dependencies.redis = { check: () => store.state() === 'up' };
      if (name === 'centre' && options.trail.ping) subgraph.dependencies.trail = { check: () => options.trail.ping!() };
      const server = await listen(subgraph.app, { host, drainMs: options.shutdownDrainMs });
      servers.push(server);
      subgraphServers.push(server);
      subgraphUrls[name] = `${server.url}/graphql`;
    }

    // The gateway's port is bound first: the demo provider's issuer is on it, and it must be the
    // port actually bound (PORT=0 picks one). Requests before the gateway is ready get 503.
    let handle: RequestListener = (_req, res) => { res.statusCode = 503; res.setHeader('retry-after', '1'); res.end(); };
    const gatewayServer = await listen((req, res) => handle(req, res), { host, port: options.gatewayPort ?? 0, drainMs: options.shutdownDrainMs });
    servers.push(gatewayServer);
    const origin = gatewayServer.url;
    const identityProvider = devIssuer && options.demoProvider !== false
      ? await createDemoProvider({
        origin, dir: options.devIssuerDir, env: process.env,
        limiter: createAddressLimiter({ ...options.addressLimit, failures: Math.min(options.addressLimit?.failures ?? 10, 10), clock }),
      })
      : undefined;
    // The configured issuer only; in the embedded default the demo provider and the development issuer (`npm run token`).
    const verifier = createMultiIssuerVerifier(options.issuer ? [options.issuer] : [...(identityProvider ? [identityProvider.verifierOptions] : []), devIssuer!.verifierOptions]);
    const signInIssuer = identityProvider?.issuer ?? options.issuer?.issuer;

    const gateway = await createGateway({
      pageSignIn: signInIssuer === undefined ? undefined : pageSignIn(signInIssuer, (!identityProvider && options.pageClients) || DEFAULT_PAGE_CLIENTS),
      identityProvider: identityProvider && { path: DEMO_PROVIDER_PATH, router: identityProvider.router },
      metrics: createGatewayMetrics({ metrics }),
      supergraphSdl: readCheckedInSupergraph(), subgraphUrls, log, verifier, assertionKey, trail: options.trail, securityLog: options.securityLog,
      production: options.production, manifest: readManifest(), lookupLimits: options.lookupLimits, addressLimit: options.addressLimit, admission: options.admission,
      corsOrigins: options.corsOrigins,
      redis: limitRedis?.redis, hashSecret: options.cacheKeySecret, clock, answerBudgetMs: options.answerBudgetMs,
      // Readiness: without the trail's database answers are withheld; without Redis they flow.
      dependencies: {
        ...(options.trail.ping ? { trail: { check: () => options.trail.ping!(), essential: true } } : {}),
        ...(limitRedis ? { redis: { check: () => limitRedis.ready() } } : {}),
      },
    });
    stops.push(gateway.stop);
    handle = gateway.app;

    return {
      gatewayUrl: `${origin}/graphql`, origin, identityProvider: identityProvider && { issuer: identityProvider.issuer },
      population, partners, emulators, subgraphUrls, store, devIssuer, assertionKey, metrics: gateway.metrics,
      // In order, each tier drained before the next: the gateway's requests in flight still need
      // the subgraphs and partners to finish (and write their trail records); then the stores.
      stop: async () => {
        await gatewayServer.close();
        await gateway.stop();
        await Promise.all(subgraphServers.map((s) => s.close()));
        await Promise.all(subgraphStops.map((stop) => stop()));
        // A `hang` holds requests nobody waits for any more: they have no answer to finish.
        for (const { emulator } of emulators.values()) emulator.held.release();
        await Promise.all(emulatorServers.map((s) => s.close()));
        await Promise.all(stops.filter((stop) => stop !== gateway.stop && !subgraphStops.includes(stop)).map((stop) => stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(servers.map((s) => s.close()));
    await Promise.allSettled(stops.map((stop) => stop()));
    throw error;
  }
}
