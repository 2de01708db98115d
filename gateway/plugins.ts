import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '../adapters/core/logger.js';
import type { Principal } from '../identity/principal.js';
import { personLookups } from './lookups.js';
import { outcomeOf, trailEntries, type TrailWriter } from './access.js';

export interface GatewayContext extends BaseContext {
  requestId: string;
  principal: Principal;
  /** The staff member's stated purpose (X-Purpose). */
  purpose?: string;
  /** Warnings the subgraphs sent in their extensions (stale data …), passed on to the client. */
  warnings: unknown[];
  /** Which partners answered or failed, as the subgraphs reported: for the access trail, never for the client. */
  partnerOutcomes: Array<{ partner: string; outcome: string }>;
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

/** Puts the subgraphs' warnings (collected in didReceiveResponse) into the client's `extensions.warnings`. */
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
 * Records every look-up of a person in the access trail before the answer leaves: who, whose data,
 * which domains and partners, the purpose, the operation and the outcome, refusals included. If the
 * record cannot be written the answer is withheld: no personal data leaves unrecorded.
 */
export function trailPlugin(trail: TrailWriter, log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ request, response, operationName, document }) {
          if (response.body.kind !== 'single') return;
          const { principal, purpose, partnerOutcomes } = contextValue;
          // Apollo's parsed document when there is one; the text only for a request that did not parse.
          const lookups = personLookups(document ?? request.query, request.variables ?? {}, operationName ?? request.operationName ?? null,
            principal.kind === 'citizen' ? principal.taxId : undefined);
          if (lookups.subjects.length === 0) return;
          const entries = trailEntries(principal, purpose, lookups, partnerOutcomes, outcomeOf(response.body.singleResult.errors ?? []));
          try {
            for (const entry of entries) await trail.append(entry);
          } catch (error) {
            log.error({ err: error, requestId: contextValue.requestId }, 'the access trail could not be written: answer withheld');
            response.body.singleResult.data = null;
            response.body.singleResult.errors = [{ message: 'the access could not be recorded; try again later', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
          }
        },
      };
    },
  };
}
