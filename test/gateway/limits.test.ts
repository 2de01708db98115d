import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { buildSchema, getIntrospectionQuery, Kind, Lexer, parse, Source, TokenKind, type GraphQLSchema } from 'graphql';
import { loadQuery } from '../../docs/queries/index.js';
import { loadApiSchema } from '../helpers/api-schema.js';
import { projectRoot } from '../../domain/project-root.js';
import { createQueryLimits, DEFAULT_QUERY_LIMITS, type QueryLimitsOptions } from '../../gateway/limits.js';
import { measureOperation } from '../../gateway/query-measure.js';

const OLENA = '3111901220';
const overview = loadQuery('overview');
const fragments = readFileSync(path.join(projectRoot(), 'docs/queries/fragments.graphql'), 'utf8');
/** The overview's selection of `citizen` as a fragment, and a query asking it about many citizens at once. */
const overviewFragment = `fragment Overview on Citizen${overview.slice(overview.indexOf(' {\n', overview.indexOf('citizen(')), overview.indexOf('\n}\n') + 1)}`;
const fanOut = (aliases: number) =>
  `query Fan($taxId: ID!) {\n${Array.from({ length: aliases }, (_, i) => `  c${i}: citizen(taxId: $taxId) { ...Overview }`).join('\n')}\n}\n${overviewFragment}\n${fragments}`;

/** A schema with a cycle (a citizen's relatives), which the federation's has not yet: for the depth bomb. */
const cyclic = buildSchema(`
  type Query { citizen(taxId: ID!): Citizen }
  type Citizen { taxId: ID! spouse: Citizen accessLog(first: Int = 20): AccessLog! }
  type AccessLog { edges: [Edge!]! }
  type Edge { cursor: String! }
`);

let supergraph: GraphQLSchema;
let executed = 0;
/** Counts executions: a refused query must never reach one. */
const executionSpy: ApolloServerPlugin = { async requestDidStart() { return { async executionDidStart() { executed += 1; } }; } };

beforeAll(async () => { supergraph = await loadApiSchema(); });
beforeEach(() => { executed = 0; });

/** A server with the limits, to send several operations to (one document cache, as a running gateway has). */
async function startLimited(options: Partial<QueryLimitsOptions> = {}, schema = supergraph) {
  const limits = createQueryLimits({ production: false, ...options });
  const server = new ApolloServer({ schema, ...limits, plugins: [...limits.plugins, executionSpy] });
  await server.start();
  return {
    async run(query: string, variables: Record<string, unknown> = { taxId: OLENA }) {
      const response = await server.executeOperation({ query, variables });
      const body = response.body.kind === 'single' ? response.body.singleResult : null;
      return { status: response.http.status ?? 200, body };
    },
    stop: () => server.stop(),
  };
}

async function run(query: string, options: Partial<QueryLimitsOptions> = {}, schema = supergraph, variables: Record<string, unknown> = { taxId: OLENA }) {
  const server = await startLimited(options, schema);
  try {
    return await server.run(query, variables);
  } finally {
    await server.stop();
  }
}

const refused = (message: string, code = 'GRAPHQL_VALIDATION_FAILED', locations?: unknown) =>
  ({ status: 400, body: { errors: [{ message, ...(locations ? { locations } : {}), extensions: { code } }] } });

describe('query limits', () => {
  it('lets the whole-citizen overview through, in development and in production', async () => {
    expect(await run(overview)).toEqual({ status: 200, body: { data: { citizen: null } } });
    expect(await run(overview, { production: true })).toEqual({ status: 200, body: { data: { citizen: null } } });
    expect(executed).toBe(2);
  });

  it('measures the overview as the limits were chosen by: depth 6, no alias, breadth 21, 355 tokens, cost 21 251', () => {
    const document = parse(overview);
    const fragmentsByName = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
    const lexer = new Lexer(new Source(overview));
    let tokens = 0;
    while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;

    expect({ ...measureOperation(supergraph, operation, fragmentsByName, { listSize: DEFAULT_QUERY_LIMITS.listSize, ignoreIntrospection: false }), tokens })
      .toEqual({ depth: 6, aliases: 0, breadth: 21, cost: 21_251, tokens: 355 });
  });

  it('lets two citizens\' overviews through in one query', async () => {
    expect(await run(fanOut(2))).toEqual({ status: 200, body: { data: { c0: null, c1: null } } });
  });

  it('refuses citizen asked through 30 aliases, before execution', async () => {
    const query = `{ ${Array.from({ length: 30 }, (_, i) => `c${i}: citizen(taxId: "${OLENA}") { taxId }`).join(' ')} }`;

    expect(await run(query)).toEqual(refused('Query uses 30 aliases, more than the limit of 10'));
    expect(executed).toBe(0);
  });

  it('refuses the overview fanned out under 20 aliases', async () => {
    expect(await run(fanOut(20))).toEqual(refused('Query uses 20 aliases, more than the limit of 10'));
    expect(executed).toBe(0);
  });

  it('refuses the overview written out under 20 aliases while parsing it, at the token limit', async () => {
    const written = fanOut(20).replaceAll('{ ...Overview }', overviewFragment.slice('fragment Overview on Citizen'.length));

    expect(await run(written)).toEqual(refused('Query exceeds the limit of 1000 tokens', 'GRAPHQL_PARSE_FAILED', [{ line: 165, column: 5 }]));
  });

  it('refuses a query nested 20 levels deep', async () => {
    const query = `{ citizen(taxId: "${OLENA}") { ${'spouse { '.repeat(18)}taxId${' }'.repeat(18)} } }`;

    expect(await run(query, {}, cyclic)).toEqual(refused('Query depth 20 exceeds the limit of 10'));
    expect(executed).toBe(0);
  });

  it('counts depth through fragments, and allows exactly the limit', async () => {
    const query = `{ citizen(taxId: "${OLENA}") { ...Deep } } fragment Deep on Citizen { ${'spouse { '.repeat(8)}taxId${' }'.repeat(8)} }`;

    expect(await run(query, {}, cyclic)).toEqual({ status: 200, body: { data: { citizen: null } } });
    expect(await run(query, { maxDepth: 9 }, cyclic)).toEqual(refused('Query depth 10 exceeds the limit of 9'));
  });

  it('refuses 41 fields in one selection set', async () => {
    const query = `{ citizen(taxId: "${OLENA}") { ${'taxId '.repeat(41)}} }`;

    expect(await run(query)).toEqual(refused('Query asks for 41 fields in one selection set, more than the limit of 40'));
  });

  it('measures fragments once each, so fragments spread twice apiece, 2^25 fields in all, are refused at once', async () => {
    const chain = Array.from({ length: 25 }, (_, i) => `fragment F${i} on Citizen { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const query = `{ citizen(taxId: "${OLENA}") { ...F0 } }\n${chain}\nfragment F25 on Citizen { taxId }`;
    const started = performance.now();

    expect(await run(query, {}, cyclic)).toEqual(refused('Query asks for 33554432 fields in one selection set, more than the limit of 40'));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a query whose estimated cost is too high though each other limit holds', async () => {
    // 8 aliases (limit 10), depth 6, breadth 21: 8 × 21 251, the overview's cost each.
    expect(await run(fanOut(8))).toEqual(refused('Query cost 170008 exceeds the limit of 50000'));
  });

  it('costs a paged field by its page size, from the argument, a variable or the default', async () => {
    const log = (first: string) => `query Log${first.includes('$n') ? '($n: Int)' : ''} { citizen(taxId: "${OLENA}") { accessLog${first} { edges { cursor } } } }`;
    const limits = { maxCost: 30 };

    // citizen 1 + accessLog 1 (a connection counts once) + edges (1 + 20 × cursor 1) = 23
    expect(await run(log(''), limits, cyclic)).toEqual({ status: 200, body: { data: { citizen: null } } });
    expect(await run(log('(first: 30)'), limits, cyclic)).toEqual(refused('Query cost 33 exceeds the limit of 30'));
    expect(await run(log('(first: $n)'), limits, cyclic, { n: 50 })).toEqual(refused('Query cost 53 exceeds the limit of 30'));
  });

  it('measures an operation again for each request when a page size comes from a variable', async () => {
    const query = `query Log($n: Int) { citizen(taxId: "${OLENA}") { accessLog(first: $n) { edges { cursor } } } }`;
    const gateway = await startLimited({ maxCost: 30 }, cyclic);
    try {
      expect(await gateway.run(query, { n: 5 })).toEqual({ status: 200, body: { data: { citizen: null } } });
      expect(await gateway.run(query, { n: 50 })).toEqual(refused('Query cost 53 exceeds the limit of 30'));
      expect(await gateway.run(query, { n: 5 })).toEqual({ status: 200, body: { data: { citizen: null } } });
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a document of more tokens than the limit while parsing it', async () => {
    const query = `{ citizen(taxId: "${OLENA}") { ${'taxId '.repeat(1000)}} }`;

    expect(await run(query)).toEqual(refused('Query exceeds the limit of 1000 tokens', 'GRAPHQL_PARSE_FAILED', [{ line: 1, column: 5986 }]));
    expect(executed).toBe(0);
  });

  it('keeps "Did you mean" in development and cuts it in production', async () => {
    const query = `{ citizen(taxId: "${OLENA}") { taxid } }`;

    const at = [{ line: 1, column: 34 }];

    expect(await run(query)).toEqual(refused('Cannot query field "taxid" on type "Citizen". Did you mean "taxId"?', undefined, at));
    expect(await run(query, { production: true })).toEqual(refused('Cannot query field "taxid" on type "Citizen".', undefined, at));
  });

  it('leaves introspection out of the measure in development only', async () => {
    const introspection = getIntrospectionQuery();

    expect((await run(introspection)).status).toBe(200);
    expect(await run(introspection, { production: true })).toEqual(refused('Query depth 15 exceeds the limit of 10'));
  });

  it('refuses a limit that is not a whole number of at least 1, naming it', () => {
    expect(() => createQueryLimits({ production: true, maxCost: 0 })).toThrow(new TypeError('maxCost: expected a whole number of at least 1, got 0'));
    expect(() => createQueryLimits({ production: true, maxDepth: 2.5 })).toThrow(new TypeError('maxDepth: expected a whole number of at least 1, got 2.5'));
  });

  it('gives Apollo Server the token limit as a parse option', () => {
    expect(createQueryLimits({ production: true }).parseOptions).toEqual({ maxTokens: DEFAULT_QUERY_LIMITS.maxTokens });
    expect(createQueryLimits({ production: true, maxTokens: 300 }).parseOptions).toEqual({ maxTokens: 300 });
  });
});
