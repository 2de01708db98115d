/**
 * The baseline of `npm run bench`: a bare Apollo Gateway (ApolloServer standalone + ApolloGateway)
 * over the same checked-in supergraph and the same subgraph processes. No authentication, no
 * limits, no trail, no metrics, no plugins. It includes only what the subgraphs require of any
 * caller: a valid gateway assertion on each subgraph request (identity/assertion.ts), signed over
 * the exact body in the fetcher as Vikno's gateway does, sent with Node's fetch as Vikno's is.
 *
 * Env: PORT (0 for a free one), ASSERTION_SECRET, SUBGRAPH_URL_<NAME> for every subgraph.
 */
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ASSERTION_HEADER, createAssertionKey, signAssertion } from '../identity/assertion.js';
import { DEMO_STAFF, devPrincipal } from '../identity/dev-issuer.js';
import { readCheckedInSupergraph, SUBGRAPH_NAMES } from '../schema/index.js';

const key = createAssertionKey(process.env.ASSERTION_SECRET);
const principal = devPrincipal({ kind: 'staff', id: DEMO_STAFF.id });
const urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, process.env[`SUBGRAPH_URL_${n.toUpperCase()}`]]));

class AssertingSource extends RemoteGraphQLDataSource {
  constructor(name: string, url: string) {
    super({ url });
    this.fetcher = (async (input: string, init: { headers: Record<string, string>; body: string }) => {
      const assertion = await signAssertion(key, { principal, purpose: 'benchmark', requestId: randomUUID(), recorded: true }, { audience: name, body: init.body });
      return fetch(input, { ...init, headers: { ...init.headers, [ASSERTION_HEADER]: assertion } });
    }) as unknown as typeof this.fetcher;
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readCheckedInSupergraph(),
  buildService: ({ name, url }) => new AssertingSource(name, urls[name] ?? url!),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(process.env.PORT ?? 0) } });
console.log(`bare gateway listening on ${url.replace(/\/$/, '')}`);
const stop = () => { server.stop().then(() => process.exit(0), () => process.exit(1)); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
