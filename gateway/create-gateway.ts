import express, { type Express } from 'express';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../adapters/core/logger.js';
import { createFormatError } from '../subgraphs/kit/errors.js';
import type { SubgraphName } from '../schema/index.js';
import { checkReadiness, checkSubgraphs } from './health.js';
import { jsonErrorHandler } from '../subgraphs/kit/http-errors.js';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Where each subgraph listens; defaults to the URLs in the supergraph. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  log: Logger;
}

export interface Gateway {
  app: Express;
  stop(): Promise<void>;
}

interface GatewayContext extends BaseContext {
  requestId: string;
  /** Warnings the subgraphs sent in their extensions (stale data …), passed on to the client. */
  warnings: unknown[];
}

/** Logs each operation's name, duration and error codes: never its variables (they hold tax ids). */
function requestLogPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          log.info({
            requestId: contextValue.requestId,
            operation: operationName ?? null,
            ms: Math.round(performance.now() - started),
            errorCodes: errors.map((e) => e.extensions?.code),
          }, 'graphql request');
        },
      };
    },
  };
}

/** Puts the subgraphs' warnings (collected in didReceiveResponse) into the client's `extensions.warnings`. */
const warningsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind === 'single' && contextValue.warnings.length > 0) {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, warnings: contextValue.warnings };
        }
      },
    };
  },
};

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
        willSendRequest({ request, context }) {
          if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
        },
        // The gateway drops subgraphs' extensions; warnings are for the client, so they are kept.
        async didReceiveResponse({ response, context }) {
          const warnings = response.extensions?.warnings;
          if (Array.isArray(warnings) && context.warnings) context.warnings.push(...warnings);
          return response;
        },
      });
    },
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    // The main.ts files own shutdown: Apollo's own handlers would re-raise the signal mid-stop.
    stopOnTerminationSignals: false,
    plugins: [requestLogPlugin(log), warningsPlugin, ApolloServerPluginUsageReportingDisabled()],
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
    expressMiddleware(server, {
      context: async ({ req }) => ({ requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(), warnings: [] }),
    }),
  );
  app.use(jsonErrorHandler(log));
  return { app, stop: () => server.stop() };
}
