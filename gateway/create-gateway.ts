import express, { type Express } from 'express';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../adapters/core/logger.js';
import { createFormatError } from '../subgraphs/kit/errors.js';
import type { SubgraphName } from '../schema/index.js';
import { checkReadiness, checkSubgraphs } from './health.js';
import { jsonErrorHandler } from '../subgraphs/kit/http-errors.js';
import { ASSERTION_HEADER, signAssertion, type AssertionKey } from '../identity/assertion.js';
import type { TokenVerifier } from '../identity/verify.js';
import { authenticate, type AuthenticatedLocals } from './authenticate.js';
import { requestLogPlugin, trailPlugin, warningsPlugin, type GatewayContext } from './plugins.js';
import type { TrailWriter } from './access.js';
import { createQueryLimits } from './limits.js';
import { assertRegisteredForCitizen, resolvePersistedOperation, type OperationManifest } from './persisted.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Where each subgraph listens; defaults to the URLs in the supergraph. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  log: Logger;
  /** Verifies the bearer token of every request against the configured issuer. */
  verifier: TokenVerifier;
  /** Signs the short-lived assertion the subgraphs require. */
  assertionKey: AssertionKey;
  /** The access trail; every look-up of a person is recorded in it. */
  trail?: TrailWriter;
  /** Production: no introspection, no field suggestions, citizens run registered operations only. */
  production?: boolean;
  /** The citizen portal's registered operations (docs/operations/manifest.json). */
  manifest: OperationManifest;
}

export interface Gateway {
  app: Express;
  stop(): Promise<void>;
}

/** Builds the federated gateway without listening or reading the environment. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const log = options.log.child({ component: 'gateway' });
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
      return new RemoteGraphQLDataSource<GatewayContext>({
        url: urls[name],
        // Node's fetch: the default client hangs on loopback when nock is loaded (TOOLCHAIN.md, gotcha 4).
        fetcher: fetch,
        // Each subgraph fetch carries a short-lived assertion of who asks and why; subgraphs refuse requests without it.
        async willSendRequest({ request, context }) {
          if (!context.principal) return;
          request.http?.headers.set('x-request-id', context.requestId);
          request.http?.headers.set(ASSERTION_HEADER, await signAssertion(options.assertionKey, {
            principal: context.principal, purpose: context.purpose, requestId: context.requestId,
          }));
        },
        // The gateway drops subgraphs' extensions; warnings are for the client, so they are kept.
        async didReceiveResponse({ response, context }) {
          const { warnings, partners } = response.extensions ?? {};
          if (Array.isArray(warnings) && context.warnings) context.warnings.push(...warnings);
          if (Array.isArray(partners) && context.partnerOutcomes) context.partnerOutcomes.push(...partners);
          return response;
        },
      });
    },
  });
  const limits = createQueryLimits({ production: options.production ?? false });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    // The main.ts files own shutdown: Apollo's own handlers would re-raise the signal mid-stop.
    stopOnTerminationSignals: false,
    introspection: !options.production,
    // Operations run by id come from the manifest only (resolvePersistedOperation), never from a client-filled cache.
    persistedQueries: false,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ source, contextValue }) {
              assertRegisteredForCitizen({ production: options.production ?? false, principalKind: contextValue.principal.kind, query: source, manifest: options.manifest });
            },
          };
        },
      },
      requestLogPlugin(log), warningsPlugin, ApolloServerPluginUsageReportingDisabled(),
      ...(options.trail ? [trailPlugin(options.trail, log)] : []),
    ],
    logger: log,
  });
  await server.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    const health = await checkSubgraphs(urls);
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
  // Readiness with details: which subgraphs answer and which partners' circuits are open.
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(urls);
    res.status(readiness.status === 'ok' ? 200 : 503).json(readiness);
  });
  app.use(
    '/graphql',
    express.json({ limit: '64kb' }),
    resolvePersistedOperation(options.manifest),
    authenticate(options.verifier, options.trail, log),
    expressMiddleware(server, {
      context: async ({ res }) => {
        const auth = res.locals.auth as AuthenticatedLocals | undefined;
        if (!auth) throw new GraphQLError('a bearer token is required', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        return { requestId: randomUUID(), principal: auth.principal, purpose: auth.purpose, warnings: [], partnerOutcomes: [] };
      },
    }),
  );
  app.use(jsonErrorHandler(log));
  return { app, stop: () => server.stop() };
}
