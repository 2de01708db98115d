import { readFileSync } from 'node:fs';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError } from 'graphql';
import { manifestFile, readManifest, readOperationFiles } from '../../docs/operations/index.js';
import {
  assertRegisteredForCitizen, buildManifest, isRegistered, operationId, parseManifest, resolvePersistedOperation, serializeManifest,
  type OperationManifest,
} from '../../gateway/persisted.js';
import { listen, type RunningServer } from '../../emulators/kit/index.js';
import { loadApiSchema } from '../helpers/api-schema.js';

const manifest = readManifest();
const idOf = (name: string) => Object.entries(manifest.operations).find(([, o]) => o.name === name)![0];
const textOf = (name: string) => manifest.operations[idOf(name)].body;

describe('the registered operations', () => {
  it('are in the checked-in manifest as docs/operations has them (run `npm run operations` when this fails)', () => {
    expect(readFileSync(manifestFile(), 'utf8')).toBe(serializeManifest(buildManifest(readOperationFiles())));
  });

  it('are the console\'s look-up and status strip, the extract issuances, the portal\'s overview, access log and published tariffs, by name, each under the SHA-256 of its text', () => {
    expect(Object.entries(manifest.operations).map(([id, o]) => ({ name: o.name, hashed: id === operationId(o.body) }))).toEqual([
      { name: 'ConsoleCitizen', hashed: true },
      { name: 'IssueParcelExtract', hashed: true },
      { name: 'IssueVehicleRegistrationExtract', hashed: true },
      { name: 'MyAccessLog', hashed: true },
      { name: 'MyOverview', hashed: true },
      { name: 'PartnerStatuses', hashed: true },
      { name: 'PublishedTariffs', hashed: true },
    ]);
    expect(textOf('MyAccessLog')).toContain('accessLog(first: $first, after: $after)');
    expect(textOf('MyOverview')).toContain('  me {\n');
    expect(textOf('IssueParcelExtract')).toContain('mutation IssueParcelExtract(');
  });

  it('refuses a document without exactly one named operation, or a name used twice, naming the file', () => {
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
  });

  it('refuses a manifest whose id is not the hash of its body', () => {
    const id = idOf('MyOverview');
    const tampered = { operations: { [id]: { name: 'MyOverview', body: `${textOf('MyOverview')} ` } } };

    expect(() => parseManifest(tampered, 'm.json')).toThrow(new Error(`m.json: operations.${id} (MyOverview) is not the SHA-256 of its body`));
    expect(() => parseManifest({ operations: { abc: { name: 'X', body: '{ a }' } } }, 'm.json')).toThrow(/^m\.json: operations\.abc: /);
  });
});

describe('isRegistered', () => {
  it('knows a registered operation by its exact text only', () => {
    const text = textOf('PublishedTariffs');

    expect(isRegistered(manifest, text)).toBe(true);
    expect(isRegistered(manifest, text.trimEnd())).toBe(false);
    expect(isRegistered(manifest, text.replace('gasTariffs', 'gasTariffs { id }\n  x: gasTariffs'))).toBe(false);
    expect(isRegistered(manifest, '{ citizen(taxId: "3111901220") { taxId } }')).toBe(false);
  });
});

describe('resolvePersistedOperation', () => {
  const tariffs = { data: { gasTariffs: null, heatingTariffs: null, waterTariffs: null, electricityTariffs: null } };
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

  it('runs a registered operation named by its hash in Apollo\'s persisted-query shape', async () => {
    const id = idOf('PublishedTariffs');

    expect(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } })).toEqual({ status: 200, body: tariffs });
  });

  it('runs a registered operation named by documentId, with or without its sha256: prefix', async () => {
    const id = idOf('PublishedTariffs');

    expect(await post({ documentId: id })).toEqual({ status: 200, body: tariffs });
    expect(await post({ documentId: `sha256:${id}` })).toEqual({ status: 200, body: tariffs });
  });

  it('answers HTTP 400 PERSISTED_QUERY_NOT_FOUND for an id it does not know', async () => {
    const unknown = { status: 400, body: { errors: [{ message: 'unknown operation id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } };

    expect(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: operationId('{ gasTariffs }') } } })).toEqual(unknown);
    expect(await post({ documentId: 'constructor' })).toEqual(unknown);
  });

  it('leaves a request that sends its query to Apollo as it is, whatever id it names besides', async () => {
    const asked = { status: 200, body: { data: { gasTariffs: null } } };

    expect(await post({ query: '{ gasTariffs { id } }' })).toEqual(asked);
    expect(await post({ query: '{ gasTariffs { id } }', documentId: 'not-registered' })).toEqual(asked);
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
    expect(check(true, 'citizen', `${textOf('MyOverview')}\n`)).toThrow(forbidden);
  });

  it('lets a citizen run a registered operation, staff run anything, and anyone anything outside production', () => {
    expect(check(true, 'citizen', textOf('MyOverview'))).not.toThrow();
    expect(check(true, 'staff', '{ citizen(taxId: "3111901220") { taxId } }')).not.toThrow();
    expect(check(false, 'citizen', '{ me { taxId } }')).not.toThrow();
  });
});
