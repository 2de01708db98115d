import express, { type Express, type Router } from 'express';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { createKeyedHash } from '../platform/keyed-hash.js';
import { createFormatError, errorRequestIds } from '../domain/graphql-errors.js';
import type { SubgraphName } from '../schema/index.js';
import { checkReadiness, checkSubgraphs } from './health.js';
import type { Dependencies } from '../platform/readiness.js';
import { jsonErrorHandler } from '../platform/http-errors.js';
import type { AssertionKey } from '../identity/assertion.js';
import type { TokenVerifier } from '../identity/verify.js';
import { authenticate, refuseBatches, type AuthenticatedLocals, type SecurityLogWriter } from './authenticate.js';
import { answerCachePlugin, operationKindPlugin, requestLogPlugin, trailPlugin, warningsPlugin, type GatewayContext } from './plugins.js';
import type { TrailWriter } from './access.js';
import { createQueryLimits } from './limits.js';
import { assertRegisteredForCitizen, PERSISTED_GET, resolvePersistedOperation, type OperationManifest } from './persisted.js';
import { corsMiddleware } from './cors.js';
import { graphiqlPage } from './graphiql.js';
import { createAddressLimiter, type AddressLimiterOptions } from './address-limiter.js';
import { createLookupLimiter, type LookupLimits, type RedisEval } from './lookup-limiter.js';
import { createLookupRecorder } from './lookup-recorder.js';
import { createGatewayMetrics, timedTrail, type GatewayMetrics } from './metrics.js';
import { requestOutcomePlugin, requestScope } from '../platform/request-scope.js';
import type { RequestScope } from '../platform/request-context.js';
import { plannedDomains, SubgraphSource } from './subgraph-source.js';
import { createAdmission, type AdmissionOptions } from './admission.js';
import { webPages, type PageSignIn, type WebApp } from './web.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Where each subgraph listens; defaults to the URLs in the supergraph. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  log: Logger;
  /** Verifies the bearer token of every request against the configured issuer. */
  verifier: TokenVerifier;
  /** Signs the short-lived assertion the subgraphs require. */
  assertionKey: AssertionKey;
  /** The access trail: every look-up of a person is recorded in it before any partner is asked. */
  trail: TrailWriter;
  /** Where refusals of unauthenticated callers go (never to a citizen's trail). */
  securityLog?: SecurityLogWriter;
  /** Production: no introspection, no field suggestions, citizens run registered operations only. */
  production?: boolean;
  /** The citizen portal's registered operations (docs/operations/manifest.json). */
  manifest: OperationManifest;
  /** Distinct people per principal and window (default DEFAULT_LOOKUP_LIMITS). */
  lookupLimits?: LookupLimits;
  /** Shares the look-up limit across replicas. */
  redis?: RedisEval;
  /** Keys the limiter's hashes of people and principals (CACHE_KEY_SECRET with Redis; random otherwise). */
  hashSecret?: string;
  /** Failed authentications per client address and window. */
  addressLimit?: Omit<AddressLimiterOptions, 'clock'>;
  /** Express's `trust proxy`: set it when a load balancer in front sets X-Forwarded-For. */
  trustProxy?: boolean | string | number;
  clock?: Clock;
  metrics?: GatewayMetrics;
  /** How long an answer may take, partners included (default 2500 ms): what is not ready by then is a typed error or a stale copy. */
  answerBudgetMs?: number;
  /** What /readyz checks besides the subgraphs: the trail's database (essential), Redis (not). */
  dependencies?: Dependencies;
  /** Bounds on concurrent work past which requests get 503 at once (gateway/admission.ts). */
  admission?: AdmissionOptions;
  /** Origins whose browsers may call /graphql (CORS_ORIGINS, gateway/cors.ts); none by default. */
  corsOrigins?: readonly string[];
  /** How long a browser may keep the answer to a registered query sent by GET (default 30 s; private, per token and purpose). */
  persistedGetMaxAgeSeconds?: number;
  /** GraphiQL at GET /graphiql, served from this origin only (default: outside production; never in production). */
  graphiql?: boolean;
  /** Where the pages sign in (`/console/config.json`, `/portal/config.json`); without it they cannot. */
  pageSignIn?: Readonly<Record<WebApp, PageSignIn>>;
  /** An OpenID provider served on the gateway's origin (the embedded default's demo provider). */
  identityProvider?: { path: string; router: Router };
}

export interface Gateway {
  app: Express;
  metrics: GatewayMetrics;
  stop(): Promise<void>;
}

export const DEFAULT_ANSWER_BUDGET_MS = 2500;
export const DEFAULT_PERSISTED_GET_MAX_AGE_SECONDS = 30;

/** A browser opening /graphql (no token, no operation): sent to GraphiQL in development. */
function isBrowserVisit(req: express.Request): boolean {
  return req.headers.authorization === undefined && (req.get('accept') ?? '').includes('text/html')
    && !['query', 'extensions', 'documentId', 'id'].some((p) => p in (req.query as Record<string, unknown>));
}

/** Builds the federated gateway without listening or reading the environment. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const log = options.log.child({ component: 'gateway' });
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createGatewayMetrics();
  // The registered operations keep their names in the metrics whatever else clients send.
  metrics.knowOperations(options.manifest.operations.map((o) => o.name));
  const trail = timedTrail(options.trail, metrics);
  // Apollo's gateway otherwise sends usage metrics to Apollo and probes cloud metadata addresses
  // (169.254.169.254) at start-up. A registry gateway talks to nobody but its subgraphs; this
  // environment variable is the gateway's only switch for it.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const urls: Record<string, string> = { ...options.subgraphUrls };
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: log,
    buildService: ({ name, url }) => {
      if (!urls[name] && url) urls[name] = url;
      return new SubgraphSource(name, urls[name], options.assertionKey);
    },
    // The record of a look-up names the domains the plan will ask, before any of them is asked.
    experimental_didResolveQueryPlan: ({ queryPlan, requestContext }) => {
      // Apollo Server hands the gateway its context as `context`.
      const context = requestContext.context as GatewayContext;
      context.operation.domains = plannedDomains(queryPlan);
    },
  });
  const limits = createQueryLimits({ production: options.production ?? false });
  const errorRequests = errorRequestIds();
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createFormatError(log, errorRequests.requestIdOf),
    includeStacktraceInErrorResponses: false,
    // The main.ts files own shutdown: Apollo's own handlers would re-raise the signal mid-stop.
    stopOnTerminationSignals: false,
    introspection: !options.production,
    // Operations run by id come from the manifest only (resolvePersistedOperation), never from a client-filled cache.
    persistedQueries: false,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      operationKindPlugin,
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ source, document, contextValue, operationName, operation }) {
              assertRegisteredForCitizen({ production: options.production ?? false, principalKind: contextValue.principal.kind, query: source, document, manifest: options.manifest });
              contextValue.operation.name = operationName ?? null;
              // The schema's mutations issue extracts: their records are issuances.
              contextValue.operation.issuance = operation?.operation === 'mutation';
            },
          };
        },
      },
      requestLogPlugin(log), errorRequests.plugin, warningsPlugin, ApolloServerPluginUsageReportingDisabled(),
      // No landing page from Apollo's CDN: GraphiQL is served from this origin (/graphiql) in development.
      ApolloServerPluginLandingPageDisabled(),
      // Cache-Control is answerCachePlugin's alone (Apollo's policy for a federated answer would be no-store anyway).
      ApolloServerPluginCacheControl({ calculateHttpHeaders: false }), answerCachePlugin,
      trailPlugin, requestOutcomePlugin,
    ],
    logger: log,
  });
  await server.start();

  const limiter = createLookupLimiter({
    limits: options.lookupLimits, hash: createKeyedHash(options.hashSecret), clock, log, metrics, redis: options.redis,
  });
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  // CORS first: a preflight is answered here, without a token; every other answer, refusals included, carries the allow headers.
  app.use('/graphql', corsMiddleware(options.corsOrigins ?? []));
  const production = options.production ?? false;
  if (options.graphiql ?? !production) {
    if (production) throw new Error('GraphiQL is never served in production');
    app.get('/graphiql', graphiqlPage({ endpoint: '/graphql', log }));
    // A browser opening the API's address gets the IDE.
    app.get('/graphql', (req, res, next) => (isBrowserVisit(req) ? res.redirect(302, 'graphiql') : next()));
  }
  // Its id (the client's x-request-id if well formed), its span and its metrics, before anything else; refusals included.
  // The scope is passed on explicitly (res.locals, then the GraphQL context), not by AsyncLocalStorage: see requestScope.
  app.use('/graphql', requestScope({ service: 'gateway', metrics, asyncScope: false }));
  app.get('/healthz', async (_req, res) => {
    const health = await checkSubgraphs(urls);
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
  // Readiness with details: which subgraphs answer, which partners' circuits are open, the trail's database and Redis.
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(urls, { dependencies: options.dependencies });
    res.status(readiness.status === 'unavailable' ? 503 : 200).json(readiness);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // The demo OpenID provider of the embedded default, on the pages' own origin.
  if (options.identityProvider) app.use(options.identityProvider.path, options.identityProvider.router);
  // The console and the citizen page: static files, before and apart from the /graphql chain.
  app.use(webPages(undefined, options.pageSignIn));
  const admission = createAdmission({ ...options.admission, onRefusal: (reason) => metrics.overloadRefusals.inc({ reason }) });
  app.use(
    '/graphql',
    // Overload is refused before any work is done for the request.
    admission.middleware,
    // The token first: nothing else is done for a caller before it is verified, not even reading the body.
    authenticate({ verifier: options.verifier, addresses: createAddressLimiter({ ...options.addressLimit, clock }), securityLog: options.securityLog, log, metrics }),
    express.json({ limit: '64kb' }),
    refuseBatches,
    resolvePersistedOperation(options.manifest),
    expressMiddleware(server, {
      context: async ({ res }) => {
        const auth = res.locals.auth as AuthenticatedLocals | undefined;
        if (!auth) throw new GraphQLError('a bearer token is required', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        const operation = { name: null as string | null, domains: [] as string[], issuance: false };
        const requestScope = res.locals.requestScope as RequestScope;
        return {
          requestId: requestScope.requestId, requestScope, principal: auth.principal, purpose: auth.purpose, warnings: [], partnerOutcomes: [], operation,
          // A registered query sent by GET may be kept by the browser, briefly.
          cacheForSeconds: res.locals[PERSISTED_GET] === true ? options.persistedGetMaxAgeSeconds ?? DEFAULT_PERSISTED_GET_MAX_AGE_SECONDS : 0,
          // Real time, not the injected clock: a budget is elapsed time.
          deadlineAt: ((res.locals.arrivedAt as number | undefined) ?? Date.now()) + (options.answerBudgetMs ?? DEFAULT_ANSWER_BUDGET_MS),
          lookups: createLookupRecorder({
            trail, limiter, principal: auth.principal, purpose: auth.purpose, operation: () => operation, log, metrics, requestId: requestScope.requestId,
          }),
        };
      },
    }),
  );
  app.use(jsonErrorHandler(log));
  return { app, metrics, stop: async () => { admission.stop(); await server.stop(); } };
}
