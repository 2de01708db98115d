import { readFileSync } from 'node:fs';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError, parse, printSchema } from 'graphql';
import { codegen } from '@graphql-codegen/core';
import { preset as clientPreset } from '@graphql-codegen/client-preset';
import { manifestFile, readManifest, readOperationFiles } from '../../docs/operations/index.js';
import {
  assertRegisteredForCitizen, buildManifest, isRegistered, operationId, parseManifest, resolvePersistedOperation, serializeManifest,
  type OperationManifest,
} from '../../gateway/persisted.js';
import { listen, type RunningServer } from '../../emulators/kit/index.js';
import { loadApiSchema } from '../helpers/api-schema.js';

const manifest = readManifest();
const entryOf = (name: string) => manifest.operations.find((o) => o.name === name)!;
const idOf = (name: string) => entryOf(name).id;
const textOf = (name: string) => entryOf(name).body;

describe('the registered operations', () => {
  it('are in the checked-in manifest as docs/operations has them (run `npm run operations` when this fails)', () => {
    expect(readFileSync(manifestFile(), 'utf8')).toBe(serializeManifest(buildManifest(readOperationFiles())));
  });

  it('are in Apollo\'s persisted-query manifest format: the console\'s look-up and status strip, the extract issuances, the portal\'s overview, access log and published tariffs, each under the SHA-256 of its body', () => {
    expect({ ...manifest, operations: manifest.operations.map(({ id, name, type, body }) => ({ name, type, hashed: id === operationId(body) })) }).toEqual({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { name: 'ConsoleCitizen', type: 'query', hashed: true },
        { name: 'IssueParcelExtract', type: 'mutation', hashed: true },
        { name: 'IssueVehicleRegistrationExtract', type: 'mutation', hashed: true },
        { name: 'MyAccessLog', type: 'query', hashed: true },
        { name: 'MyOverview', type: 'query', hashed: true },
        { name: 'PartnerStatuses', type: 'query', hashed: true },
        { name: 'PublishedTariffs', type: 'query', hashed: true },
      ],
    });
  });

  it('have as body the document printed as codegen prints it: definitions and fields sorted, white space collapsed, comments gone', () => {
    expect(textOf('PublishedTariffs')).toBe(
      'fragment PublishedTariff on Tariff { code components { kind name price { amount currency unit } zone { hours name } } id name partner { id name } service validFrom validTo } '
      + 'query PublishedTariffs { electricityTariffs { ...PublishedTariff } gasTariffs { ...PublishedTariff } heatingTariffs { ...PublishedTariff } waterTariffs { ...PublishedTariff } }',
    );
    expect(textOf('MyOverview')).toMatch(/^fragment MyAccount on UtilityAccount \{ .* \} fragment MyMoney on Money \{ amount currency \} fragment MySource on Provenance \{ fetchedAt freshness partner \{ id name \} \} query MyOverview \{ me \{ .* \} \}$/);
  });

  it('have the ids GraphQL Code Generator\'s client preset gives them for its persisted documents (sha256)', async () => {
    const schemaAst = await loadApiSchema();
    const outputs = await clientPreset.buildGeneratesSection({
      baseOutputDir: 'gql/', schema: parse(printSchema(schemaAst)), schemaAst, config: {}, plugins: [], pluginMap: {},
      documents: readOperationFiles().map(({ file, text }) => ({ location: file, document: parse(text), rawSDL: text })),
      presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' } },
    });
    // The persisted documents are written once the typed documents are: generate them all together.
    const written = await Promise.all(outputs.map((output) => codegen(output)));
    const persisted = JSON.parse(written[outputs.findIndex((o) => o.filename === 'gql/persisted-documents.json')]) as Record<string, string>;

    expect(persisted).toEqual(Object.fromEntries(manifest.operations.map(({ id, body }) => [`sha256:${id}`, body])));
  });

  it('refuses a document without exactly one named operation and the fragments it uses, or a name used twice, naming the file', () => {
    const build = (...texts: string[]) => {
      try {
        buildManifest(texts.map((text, i) => ({ file: `ops/${i}.graphql`, text })));
        return 'built';
      } catch (error) {
        return (error as Error).message;
      }
    };

    expect(build('query { me { taxId } }')).toBe('ops/0.graphql: the operation has no name');
    expect(build('query A { me { taxId } } query B { me { taxId } }')).toBe('ops/0.graphql: expected one operation, found 2');
    expect(build('query A { me { taxId }')).toBe('ops/0.graphql: Syntax Error: Expected Name, found <EOF>.');
    expect(build('query A { me { taxId } }', 'query A { me { birthDate } }')).toBe('ops/1.graphql: operation A is already defined in ops/0.graphql');
    expect(build('query A { me { ...F } }')).toBe('ops/0.graphql: fragment F is used but not defined in this file');
    expect(build('query A { me { taxId } } fragment F on Citizen { taxId }')).toBe('ops/0.graphql: fragment F is not used by A');
    expect(build('query A { me { ...F } } fragment F on Citizen { taxId }', 'query B { me { ...F } } fragment F on Citizen { taxId }'))
      .toBe('ops/1.graphql: fragment F is already defined in ops/0.graphql');
    expect(build('query A { me { taxId @client } }')).toBe('ops/0.graphql: the client-only directive @client cannot be in a registered operation');
  });

  it('refuses a manifest whose id is not the hash of its body, or whose body is not printed as codegen prints it, naming the file and the entry', () => {
    const overview = entryOf('MyOverview');
    const index = manifest.operations.indexOf(overview);
    const withEntry = (entry: object) => ({ ...manifest, operations: manifest.operations.map((o, i) => (i === index ? entry : o)) });
    const check = (json: unknown) => { try { parseManifest(json, 'm.json'); return 'read'; } catch (error) { return (error as Error).message; } };
    const unprinted = readFileSync(new URL('../../docs/operations/my-overview.graphql', import.meta.url), 'utf8');

    expect(check(withEntry({ ...overview, body: `${overview.body} ` }))).toBe(`m.json: operations.${index} (MyOverview): id ${overview.id} is not the SHA-256 of its body`);
    expect(check(withEntry({ ...overview, id: operationId(unprinted), body: unprinted })))
      .toBe(`m.json: operations.${index} (MyOverview): body is not the document as printed for persisted documents (npm run operations writes it)`);
    expect(check(withEntry({ ...overview, type: 'mutation' }))).toBe(`m.json: operations.${index} (MyOverview): body must hold one operation, the mutation MyOverview`);
    expect(check({ operations: {} })).toBe('m.json: format: Invalid input: expected "apollo-persisted-query-manifest"; version: Invalid input: expected 1; operations: Invalid input: expected array, received object');
    expect(check({ ...manifest, operations: [{ ...overview, id: 'abc' }] })).toBe('m.json: operations.0.id: must be 64 lower-case hex digits (SHA-256)');
    expect(check({ ...manifest, operations: [overview, overview] })).toBe(`m.json: operations.1 (MyOverview): id ${overview.id} is listed twice`);
    expect(check(manifest)).toBe('read');
  });
});

describe('isRegistered', () => {
  it('knows a registered operation by its body, or by any text that prints to it; nothing else', () => {
    const text = textOf('PublishedTariffs');
    const asWritten = readFileSync(new URL('../../docs/operations/published-tariffs.graphql', import.meta.url), 'utf8');

    expect(isRegistered(manifest, text)).toBe(true);
    expect(isRegistered(manifest, asWritten)).toBe(true);
    expect(isRegistered(manifest, text.replace('gasTariffs', 'gasTariffs { id }\n  x: gasTariffs'))).toBe(false);
    expect(isRegistered(manifest, `${text} fragment Extra on Tariff { id }`)).toBe(false);
    expect(isRegistered(manifest, '{ citizen(taxId: "3111901220") { taxId } }')).toBe(false);
    expect(isRegistered(manifest, '{ citizen(')).toBe(false);
  });
});

describe('resolvePersistedOperation', () => {
  // The registered body prints its fields sorted by name: the answer has them in that order.
  const tariffs = { data: { electricityTariffs: null, gasTariffs: null, heatingTariffs: null, waterTariffs: null } };
  let apollo: ApolloServer;
  let server: RunningServer;

  beforeAll(async () => {
    // Apollo's own APQ off, as the gateway should have it: the manifest is the only way to run by id.
    apollo = new ApolloServer({ schema: await loadApiSchema(), persistedQueries: false });
    await apollo.start();
    const app = express();
    app.use('/graphql', express.json(), resolvePersistedOperation(manifest), expressMiddleware(apollo));
    server = await listen(app);
  });
  afterAll(async () => {
    await server.close();
    await apollo.stop();
  });

  async function post(body: unknown) {
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  async function get(params: Record<string, string>) {
    const response = await fetch(`${server.url}/graphql?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': 'true' } });
    return { status: response.status, allow: response.headers.get('allow'), vary: response.headers.get('vary'), body: await response.json() };
  }

  it('runs a registered operation named by its hash in Apollo\'s persisted-query shape', async () => {
    const id = idOf('PublishedTariffs');

    expect(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } })).toEqual({ status: 200, body: tariffs });
  });

  it('runs a registered operation named by documentId, with or without its sha256: prefix', async () => {
    const id = idOf('PublishedTariffs');

    expect(await post({ documentId: id })).toEqual({ status: 200, body: tariffs });
    expect(await post({ documentId: `sha256:${id}` })).toEqual({ status: 200, body: tariffs });
  });

  it('runs a registered query by GET, named by documentId or in Apollo\'s shape, with its variables; the answer varies by token and purpose', async () => {
    const id = idOf('PublishedTariffs');
    const ok = { status: 200, allow: null, vary: 'Authorization, X-Purpose', body: tariffs };

    expect(await get({ documentId: `sha256:${id}` })).toEqual(ok);
    expect(await get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: id } }) })).toEqual(ok);
    expect(await get({ documentId: idOf('MyAccessLog'), variables: JSON.stringify({ first: 5 }) })).toEqual({ ...ok, body: { data: { me: null } } });
  });

  it('refuses a registered mutation by GET with 405, naming the method to use', async () => {
    expect(await get({ documentId: idOf('IssueParcelExtract') })).toEqual({
      status: 405, allow: 'POST', vary: null,
      body: { errors: [{ message: 'IssueParcelExtract is a mutation: send it with POST (GET runs queries only)', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('answers HTTP 400 PERSISTED_QUERY_NOT_FOUND for an id it does not know, by POST or GET', async () => {
    const unknown = { status: 400, body: { errors: [{ message: 'unknown operation id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } };

    expect(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: operationId('{ gasTariffs }') } } })).toEqual(unknown);
    expect(await post({ documentId: 'constructor' })).toEqual(unknown);
    expect(await get({ documentId: 'constructor' })).toEqual({ ...unknown, allow: null, vary: null });
  });

  it('leaves a request that sends its query to Apollo as it is, whatever id it names besides', async () => {
    const asked = { status: 200, body: { data: { gasTariffs: null } } };

    expect(await post({ query: '{ gasTariffs { id } }' })).toEqual(asked);
    expect(await post({ query: '{ gasTariffs { id } }', documentId: 'not-registered' })).toEqual(asked);
    expect(await get({ query: '{ gasTariffs { id } }', documentId: 'not-registered' })).toEqual({ ...asked, allow: null, vary: null });
  });
});

describe('assertRegisteredForCitizen', () => {
  const forbidden = new GraphQLError('only registered operations may be run with a citizen token');
  const check = (production: boolean, principalKind: string | undefined, query: string | undefined, m: OperationManifest = manifest) =>
    () => assertRegisteredForCitizen({ production, principalKind, query, manifest: m });

  it('refuses a citizen token running an unregistered query in production, with FORBIDDEN and HTTP 403', () => {
    const thrown = (() => { try { check(true, 'citizen', '{ me { taxId } }')(); } catch (error) { return error; } })() as GraphQLError;

    expect(thrown).toEqual(forbidden);
    expect(thrown.extensions).toEqual({ code: 'FORBIDDEN', http: { status: 403 } });
    expect(check(true, 'citizen', undefined)).toThrow(forbidden);
    expect(check(true, 'citizen', `${textOf('MyOverview')} fragment Extra on Money { amount }`)).toThrow(forbidden);
  });

  it('lets a citizen run a registered operation, staff run anything, and anyone anything outside production', () => {
    expect(check(true, 'citizen', textOf('MyOverview'))).not.toThrow();
    expect(check(true, 'staff', '{ citizen(taxId: "3111901220") { taxId } }')).not.toThrow();
    expect(check(false, 'citizen', '{ me { taxId } }')).not.toThrow();
  });
});
