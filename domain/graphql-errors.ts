import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isViknoError, type ViknoError } from './errors.js';
import type { Logger } from '../platform/logger.js';

/** GraphQL's own request errors (syntax, validation, bad variables) reach the client as they are. */
const GRAPHQL_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST',
]);

export function viknoToGraphQLError(error: ViknoError, path?: ReadonlyArray<string | number>): GraphQLError {
  return new GraphQLError(error.message, { path, extensions: error.toExtensions() });
}

/** Codes of the catalogue (domain/errors.ts) that may reach a client with their partner id. */
const CATALOGUE_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'PARTNER_UNAVAILABLE', 'PARTNER_TIMEOUT', 'PARTNER_BAD_RESPONSE', 'UNAUTHENTICATED', 'FORBIDDEN',
  'RATE_LIMITED', 'TRAIL_UNAVAILABLE',
]);

function pick(extensions: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => extensions[k] !== undefined).map((k) => [k, extensions[k]]));
}

/**
 * Apollo Server's formatError for every Vikno server (subgraphs and gateway): catalogued errors keep
 * their code and partner (thrown here, or passed on from a subgraph), GraphQL request errors keep
 * their code, and anything else is masked as INTERNAL_SERVER_ERROR and logged in full. Apollo hands
 * formatError no context: `requestIdOf` names the request an error came from where no request scope
 * is carried (the gateway: errorRequestIds).
 */
export function createFormatError(log: Logger, requestIdOf?: (error: unknown) => string | undefined) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isViknoError(original)) {
      return { message: original.message, locations: formatted.locations, path: formatted.path, extensions: original.toExtensions() };
    }
    const extensions = formatted.extensions ?? {};
    const code = extensions.code;
    if (typeof code === 'string' && CATALOGUE_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: pick(extensions, ['code', 'partner', 'retryable']) };
    }
    if (!(original instanceof GraphQLError) || typeof code !== 'string' || !GRAPHQL_REQUEST_CODES.has(code)) {
      log.error({ err: original, path: formatted.path, ...(requestIdOf ? { requestId: requestIdOf(error) } : {}) }, 'unexpected error');
      const service = extensions.serviceName;
      return {
        message: 'Internal server error', locations: formatted.locations, path: formatted.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR', ...(typeof service === 'string' ? { service } : {}) },
      };
    }
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  };
}

/**
 * Which request each error of an answer belongs to, for formatError's log line: a plugin that notes
 * them as they are met (didEncounterErrors comes before formatting), and the look-up.
 */
export function errorRequestIds(): { plugin: ApolloServerPlugin<BaseContext & { requestId: string }>; requestIdOf(error: unknown): string | undefined } {
  const ids = new WeakMap<object, string>();
  return {
    plugin: {
      async requestDidStart({ contextValue }) {
        return {
          async didEncounterErrors({ errors }) {
            for (const error of errors) ids.set(error, contextValue.requestId);
          },
        };
      },
    },
    requestIdOf: (error) => (typeof error === 'object' && error !== null ? ids.get(error) : undefined),
  };
}
