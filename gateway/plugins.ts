import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Logger } from '../platform/logger.js';
import { RateLimitedError, TrailUnavailableError, type ViknoError } from '../domain/errors.js';
import type { Principal } from '../identity/principal.js';
import { outcomeOf } from './access.js';
import type { LookupRecorder } from './lookup-recorder.js';
import type { RequestScope } from '../platform/request-context.js';

export interface GatewayContext extends BaseContext {
  requestId: string;
  /** The request's scope (platform/request-context.ts), handed in rather than carried by AsyncLocalStorage: its trace, and how it ended for the metrics. */
  requestScope: RequestScope;
  principal: Principal;
  /** The staff member's stated purpose (X-Purpose), validated text. */
  purpose?: string;
  /** Warnings the subgraphs sent in their extensions (stale data …), passed on to the client. */
  warnings: unknown[];
  /** Which partners answered or failed, as the subgraphs reported: for the access trail, never for the client. */
  partnerOutcomes: Array<{ partner: string; outcome: string }>;
  /** This request's look-ups of people, recorded before any partner is asked. */
  lookups: LookupRecorder;
  /** The operation's name and the domains its plan fetches: what a record says besides who and whose. */
  operation: { name: string | null; domains: string[]; issuance?: boolean };
  /** Epoch ms (real time) by which the answer must be ready: what is left of it is passed on to every subgraph. */
  deadlineAt: number;
  /** Aborts the request's subgraph fetches a little after deadlineAt (made by the first fetch). */
  subgraphDeadline?: AbortSignal;
  /** How long the caller's browser may keep a complete answer (a registered query sent by GET); 0: not at all. */
  cacheForSeconds: number;
}

/** Logs each operation's name, duration and error codes: never its variables (they hold tax ids). */
export function requestLogPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          log.info({
            requestId: contextValue.requestId,
            principal: contextValue.principal.kind,
            operation: operationName ?? null,
            ms: Math.round(performance.now() - started),
            errorCodes: errors.map((e) => e.extensions?.code),
          }, 'graphql request');
        },
      };
    },
  };
}

/** Puts the subgraphs' warnings (collected by SubgraphSource) into the client's `extensions.warnings`. */
export const warningsPlugin: ApolloServerPlugin<GatewayContext> = {
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

/**
 * Only queries, and mutations where the schema has them: a subscription, or an operation whose root
 * type the schema lacks, is refused as a bad request (400) rather than left to fail inside (500).
 */
export const operationKindPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, schema }) {
        if (!operation) return;
        const kind = operation.operation;
        if (kind === 'subscription' || !schema.getRootType(kind)) {
          throw new GraphQLError(`${kind} operations are not served`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      },
    };
  },
};

/**
 * Cache-Control of every answer: `private, max-age=N` for a complete answer (no error) to a
 * registered query sent by GET, whose Vary (Authorization, X-Purpose) resolvePersistedOperation set;
 * `no-store` for everything else. Never `public`: answers are personal data. An answer the trail
 * withholds afterwards is made `no-store` again (withhold).
 */
export const answerCachePlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        const complete = response.body.kind === 'single' && !response.body.singleResult.errors && (response.http.status ?? 200) === 200;
        const seconds = contextValue?.cacheForSeconds ?? 0;
        response.http.headers.set('cache-control', complete && seconds > 0 ? `private, max-age=${seconds}` : 'no-store');
      },
    };
  },
};

/** The answer that replaces one the trail could not stand behind: no data, one error, its HTTP status. */
function withhold(response: GraphQLRequestContextWillSendResponse<GatewayContext>['response'], error: ViknoError): void {
  if (response.body.kind !== 'single') return;
  response.body.singleResult.data = null;
  response.body.singleResult.errors = [{ message: error.message, extensions: error.toExtensions() }];
  delete response.body.singleResult.extensions;
  const retryAfter = error instanceof RateLimitedError ? error.retryAfterSeconds : 5;
  response.http.status = error instanceof RateLimitedError ? 429 : 503;
  response.http.headers.set('retry-after', String(retryAfter));
  response.http.headers.set('cache-control', 'no-store');
}

/**
 * Completes every look-up of the request in the access trail before the answer leaves (the
 * opening records were written before any partner was asked, by SubgraphSource): which partners
 * answered and the outcome. If a record could not be written, or the limit on distinct people
 * refused a look-up, the whole answer is withheld: no personal data leaves unrecorded.
 */
export const trailPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { lookups, partnerOutcomes } = contextValue;
        try {
          await lookups.complete(outcomeOf(response.body.singleResult.errors ?? []), partnerOutcomes);
        } catch {
          withhold(response, lookups.failure ?? new TrailUnavailableError());
        }
      },
    };
  },
};
