import express, { type Express } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Logger } from '../../platform/logger.js';
import type { Partner } from '../../adapters/core/partners.js';
import { createReplayGuard, type AssertionKey } from '../../identity/assertion.js';
import { subgraphTypeDefs, type SubgraphName } from '../../schema/index.js';
import { createContext, type SubgraphContext } from './context.js';
import { createFormatError } from '../../domain/graphql-errors.js';
import { jsonErrorHandler } from '../../platform/http-errors.js';
import { scalarResolvers } from './scalars.js';
import { createMetrics, type Metrics } from '../../platform/metrics.js';
import { requestOutcomePlugin, requestScope } from '../../platform/request-scope.js';
import { checkDependencies, type Dependencies } from '../../platform/readiness.js';

type RawBodyRequest = express.Request & { rawBody?: Uint8Array };

/**
 * Resolvers by type and field, as buildSubgraphSchema takes them. Each subgraph types its own
 * against the types generated from its SDL (subgraphs/generated/) before handing them over.
 */
export type Resolvers = GraphQLResolverMap<SubgraphContext>;

export interface Subgraph {
  name: SubgraphName;
  /** An express app serving POST /graphql and GET /healthz; the caller decides where it listens. */
  app: Express;
  /**
   * What /healthz reports besides the partners' circuits (e.g. `redis`, the centre's `trail`):
   * the process that opened them adds them here. Details for the gateway's readiness.
   */
  dependencies: Dependencies;
  stop(): Promise<void>;
}

export interface CreateSubgraphOptions {
  name: SubgraphName;
  resolvers: Resolvers;
  log: Logger;
  /** Partners whose circuit state /healthz reports (readiness details for the gateway). */
  partners?: readonly Partner[];
  /** Verifies the gateway's assertion on every request. */
  assertionKey: AssertionKey;
  /** The process's metrics, served at GET /metrics (a registry of its own when not given). */
  metrics?: Metrics;
}

/** Adds the errors of partners that failed beside others that answered, and the warnings (see gather.ts). */
const partialResultsPlugin: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        if (contextValue.partialErrors.length > 0) result.errors = [...(result.errors ?? []), ...contextValue.partialErrors.map((e) => e.toJSON())];
        if (contextValue.warnings.length > 0) result.extensions = { ...result.extensions, warnings: contextValue.warnings };
        if (contextValue.partnerOutcomes.length > 0) result.extensions = { ...result.extensions, partners: contextValue.partnerOutcomes };
        if (contextValue.subjects.size > 0) {
          result.extensions = { ...result.extensions, subjects: [...contextValue.subjects].map(([taxId, refusal]) => ({ taxId, refusal })) };
        }
      },
    };
  },
};

/** Builds a subgraph server without listening or reading the environment (main.ts does that). */
export async function createSubgraph(options: CreateSubgraphOptions): Promise<Subgraph> {
  const log = options.log.child({ subgraph: options.name });
  const metrics = options.metrics ?? createMetrics();
  const typeDefs = subgraphTypeDefs(options.name);
  const server = new ApolloServer<SubgraphContext>({
    // Every subgraph validates the shared scalars it declares (subgraphs/kit/scalars.ts).
    schema: buildSubgraphSchema({ typeDefs, resolvers: { ...scalarResolvers(typeDefs), ...options.resolvers } as never }),
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    // The main.ts files own shutdown: Apollo's own handlers would re-raise the signal mid-stop.
    stopOnTerminationSignals: false,
    // No Apollo Studio here: inline traces would only carry error details to the gateway. No cache
    // hints either (no field sets one, so every answer is uncacheable): without the cache-control
    // plugin no plugin wraps each field's resolver (per-field work in every answer); the header it
    // always set, `cache-control: no-store`, is set below. No landing page either (Apollo's loads
    // its Sandbox from Apollo's CDN): only the gateway is a client here.
    plugins: [partialResultsPlugin, ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), requestOutcomePlugin],
    logger: log,
  });
  await server.start();

  const app = express();
  app.disable('x-powered-by');
  const dependencies: Dependencies = {};
  // Always 200 while the process answers (liveness); what it depends on is in the details.
  app.get('/healthz', async (_req, res) => {
    const states = await checkDependencies(dependencies);
    res.json({
      status: Object.values(states).includes('down') ? 'degraded' : 'ok',
      subgraph: options.name,
      partners: Object.fromEntries((options.partners ?? []).map((p) => [p.ref.id, { circuit: p.breaker.state() }])),
      dependencies: states,
    });
  });
  app.get('/metrics', async (_req, res) => void res.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  // Its id, its span and its metrics, before anything else is done for the request.
  app.use('/graphql', requestScope({ service: options.name, metrics }), (_req, res, next) => { res.set('cache-control', 'no-store'); next(); });
  const contextOptions = { log, assertionKey: options.assertionKey, audience: options.name, replayGuard: createReplayGuard() };
  app.use(
    '/graphql',
    // The raw bytes are kept: the gateway's assertion is bound to their digest.
    express.json({ limit: '256kb', verify: (req, _res, buf) => { (req as RawBodyRequest).rawBody = buf; } }),
    expressMiddleware(server, {
      context: async ({ req }) => createContext({ headers: req.headers, rawBody: (req as RawBodyRequest).rawBody, body: req.body }, contextOptions),
    }),
  );
  app.use(jsonErrorHandler(log));
  return { name: options.name, app, dependencies, stop: () => server.stop() };
}
