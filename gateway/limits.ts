import { GraphQLError, Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type ParseOptions } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { measureOperation, type QueryMeasure } from './query-measure.js';

/**
 * Limits on what one query may ask, checked before anything is executed or planned, so that no
 * single request can pull thousands of citizens or fan out into a storm of partner calls.
 *
 * - Tokens are counted by the parser itself (graphql-js `maxTokens`): it gives up at the limit, so a
 *   huge document is never fully parsed or validated. Refused as what it is, GRAPHQL_PARSE_FAILED
 *   (HTTP 400), with graphql-js's message (which says "more that") restated: "Query exceeds the
 *   limit of 1000 tokens".
 * - Depth, aliases, breadth and estimated cost are measured on the operation to run (see
 *   query-measure.ts for how) once it is validated, and refused with GRAPHQL_VALIDATION_FAILED and
 *   HTTP 400, naming the figure and the limit.
 * - In production, GraphQL's "Did you mean …?" hints are cut from error messages: they would let a
 *   client read the schema field by field with introspection switched off.
 *
 * graphql-armor was tried and not used: its Apollo token limit answers HTTP 500, its messages start
 * with "Syntax Error:", and its cost ignores which fields return lists; it has no breadth limit.
 */

export interface QueryLimitsOptions {
  /** Production: introspection fields are measured like any other, and suggestions are cut. */
  production: boolean;
  /** Fields nested inside one another. */
  maxDepth?: number;
  /** Aliased fields in the operation (fragments counted where they are spread). */
  maxAliases?: number;
  /** Fields in one selection set, fragments merged in. */
  maxBreadth?: number;
  /** Lexical tokens in the whole document. */
  maxTokens?: number;
  /** Estimated cost (query-measure.ts). */
  maxCost?: number;
  /** Expected length of a list field without a page size, for the cost. */
  listSize?: number;
}

/**
 * Chosen against docs/queries/overview.graphql with its fragments, the largest screen there is:
 * depth 6, no alias, breadth 21 (vehicles), 355 tokens, cost 21 251 with lists of 10 (readings and
 * bills are pages of 12; a connection counts once, its edges or nodes by the page). The limits leave
 * the overview room (depth ×1.7, breadth ×1.9, tokens ×2.8, cost ×2.35: two citizens at once pass)
 * and refuse 20 citizens' overviews at once (20 aliases, cost 425 020) or 3 (cost 63 753).
 */
export const DEFAULT_QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 10,
  maxBreadth: 40,
  maxTokens: 1000,
  maxCost: 50_000,
  listSize: 10,
} as const satisfies Omit<Required<QueryLimitsOptions>, 'production'>;

export interface QueryLimits {
  /** For `new ApolloServer({ plugins: [...others, ...limits.plugins] })`. */
  plugins: ApolloServerPlugin<BaseContext>[];
  /** For `new ApolloServer({ parseOptions })`. */
  parseOptions: ParseOptions;
}

/** A limit must be a whole number of at least 1: a TypeError names the bad one. */
function checkLimit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name}: expected a whole number of at least 1, got ${String(value)}`);
  return value;
}

function refuse(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
}

/** The first limit a measure breaks, as the error a client gets; null when it is within all. */
export function limitError(measure: QueryMeasure, limits: Omit<Required<QueryLimitsOptions>, 'production' | 'maxTokens' | 'listSize'>): GraphQLError | null {
  if (measure.depth > limits.maxDepth) return refuse(`Query depth ${measure.depth} exceeds the limit of ${limits.maxDepth}`);
  if (measure.aliases > limits.maxAliases) return refuse(`Query uses ${measure.aliases} aliases, more than the limit of ${limits.maxAliases}`);
  if (measure.breadth > limits.maxBreadth) {
    return refuse(`Query asks for ${measure.breadth} fields in one selection set, more than the limit of ${limits.maxBreadth}`);
  }
  if (measure.cost > limits.maxCost) return refuse(`Query cost ${measure.cost} exceeds the limit of ${limits.maxCost}`);
  return null;
}

const SUGGESTION = /\s*Did you mean [\s\S]*\?$/;
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more th(?:an|at) (\d+) tokens\. Parsing aborted\.$/;

/**
 * Rewrites an error's message where it can be: some errors reaching didEncounterErrors (an aborted
 * fetch's DOMException, wrapped) have a message with only a getter, and assigning to it would throw.
 */
function rewriteMessage(error: { message: string }, rewrite: (message: string) => string): void {
  const next = rewrite(error.message);
  if (next === error.message) return;
  try {
    error.message = next;
  } catch {
    // left as it is: none of these messages is one the rewrites are for
  }
}

/** Cuts "Did you mean …?" from every error a request ends with (validation, variables, execution). */
export const noSuggestionsPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) rewriteMessage(error, (m) => m.replace(SUGGESTION, ''));
      },
    };
  },
};

export function createQueryLimits(options: QueryLimitsOptions): QueryLimits {
  const limits = { ...DEFAULT_QUERY_LIMITS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  for (const key of Object.keys(DEFAULT_QUERY_LIMITS) as (keyof typeof DEFAULT_QUERY_LIMITS)[]) checkLimit(key, limits[key]);

  // An operation's measure, kept while Apollo keeps its parsed document (the same nodes for the same
  // text; a new schema parses anew): a desk sends the same few operations all day. Not kept when a
  // page size came from a variable, as the next request's variables may differ.
  const measured = new WeakMap<OperationDefinitionNode, QueryMeasure>();
  const limitsPlugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        // Thrown here, a GraphQLError is the response: after validation, before planning or execution.
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return; // Apollo answers OPERATION_RESOLUTION_FAILURE itself
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          let measure = measured.get(operation);
          if (!measure) {
            let byVariables = false;
            measure = measureOperation(schema, operation, fragments, {
              listSize: limits.listSize,
              ignoreIntrospection: !options.production,
              variables: request.variables,
              onVariable: () => { byVariables = true; },
            });
            if (!byVariables) measured.set(operation, measure);
          }
          const error = limitError(measure, limits);
          if (error) throw error;
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) rewriteMessage(error, (m) => m.replace(TOO_MANY_TOKENS, 'Query exceeds the limit of $1 tokens'));
        },
      };
    },
  };

  return {
    plugins: options.production ? [limitsPlugin, noSuggestionsPlugin] : [limitsPlugin],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
