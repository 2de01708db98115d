import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import { SUPERGRAPH_FILE } from '../../schema/index.js';

/**
 * The schema clients see (the checked-in supergraph's API schema), with no resolvers: every root
 * field answers null. For testing what the gateway does before execution, with no subgraph running.
 */
export async function loadApiSchema(): Promise<GraphQLSchema> {
  // Nothing is planned or fetched, and Apollo is told nothing.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(SUPERGRAPH_FILE(), 'utf8') });
  const { schema } = await gateway.load();
  await gateway.stop();
  return schema;
}
