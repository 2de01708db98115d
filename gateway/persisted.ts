import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError, Kind, parse, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { z } from 'zod';

/**
 * The citizen portal's operations, registered in advance (docs/operations/, `npm run operations`),
 * in Apollo's persisted-query manifest format:
 *
 *   { "format": "apollo-persisted-query-manifest", "version": 1,
 *     "operations": [{ "id", "name", "type", "body" }] }
 *
 * An operation's body is its document (the operation and the fragments it uses) as GraphQL Code
 * Generator's client preset prints it for `persistedDocuments` (@graphql-tools/documents'
 * printExecutableGraphQLDocument: definitions and selections sorted, white space collapsed), and
 * its id is the SHA-256 (hex) of that body. So a portal built with the client preset's persisted
 * documents (`hashAlgorithm: 'sha256'`) sends ids the gateway knows. A client may send the id in
 * Apollo's APQ shape (`extensions.persistedQuery.sha256Hash`) or as a GraphQL-over-HTTP
 * `documentId` (`sha256:` prefix optional), by POST, or by GET for a query. In production a
 * citizen token runs only these; staff may send any query the limits allow.
 */

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export type OperationType = 'query' | 'mutation' | 'subscription';

export interface ManifestOperation {
  /** SHA-256 (hex) of `body`. */
  id: string;
  /** The operation's name, e.g. MyOverview. */
  name: string;
  type: OperationType;
  /** The document as printed (printOperationDocument): what the id is the hash of and what runs. */
  body: string;
}

export interface OperationManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  /** Ordered by name. */
  operations: ManifestOperation[];
}

export interface OperationFile {
  /** Where the text came from, for error messages. */
  file: string;
  text: string;
}

export function operationId(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A document as GraphQL Code Generator's client preset prints it before hashing it for its
 * persisted documents (client-preset's normalizeAndPrintDocumentNode, for documents without the
 * client-only @client and @connection directives, which buildManifest refuses).
 */
export function printOperationDocument(document: DocumentNode): string {
  return printExecutableGraphQLDocument(document);
}

/** Directives a client strips before sending a document (and before hashing it): never in a registered one. */
const CLIENT_ONLY_DIRECTIVES = new Set(['client', 'connection']);

/** Names of the fragments a definition spreads, directly. */
function spreadsOf(definition: DefinitionNode): Set<string> {
  const names = new Set<string>();
  visit(definition, { FragmentSpread(node) { names.add(node.name.value); } });
  return names;
}

interface CheckedDocument {
  operation: OperationDefinitionNode;
  fragments: FragmentDefinitionNode[];
  document: DocumentNode;
}

/**
 * Parses one operation file: one named operation and exactly the fragments it uses (transitively),
 * nothing else, as the client preset's document for that operation holds. An Error names the file.
 */
function checkOperationFile({ file, text }: OperationFile): CheckedDocument {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) throw new Error(`${file}: expected one operation, found ${operations.length}`);
  const [operation] = operations;
  if (!operation.name) throw new Error(`${file}: the operation has no name`);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const other = document.definitions.find((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION);
  if (other) throw new Error(`${file}: only an operation and its fragments may be registered, found a ${other.kind}`);
  const byName = new Map<string, FragmentDefinitionNode>();
  for (const fragment of fragments) {
    if (byName.has(fragment.name.value)) throw new Error(`${file}: fragment ${fragment.name.value} is defined twice`);
    byName.set(fragment.name.value, fragment);
  }
  // The fragments the operation uses, transitively: each must be here, and nothing else may be.
  const used = new Set<string>();
  const pending = [...spreadsOf(operation)];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (used.has(name)) continue;
    const fragment = byName.get(name);
    if (!fragment) throw new Error(`${file}: fragment ${name} is used but not defined in this file`);
    used.add(name);
    pending.push(...spreadsOf(fragment));
  }
  const unused = fragments.filter((f) => !used.has(f.name.value)).map((f) => f.name.value);
  if (unused.length > 0) throw new Error(`${file}: fragment ${unused.join(', ')} is not used by ${operation.name.value}`);
  visit(document, {
    Directive(node) {
      if (CLIENT_ONLY_DIRECTIVES.has(node.name.value)) throw new Error(`${file}: the client-only directive @${node.name.value} cannot be in a registered operation`);
    },
  });
  return { operation, fragments, document };
}

/**
 * The manifest of the given documents. Each must parse and hold one named operation and the
 * fragments it uses; no two may share an operation name, nor a fragment name (codegen keeps one
 * fragment per name across all documents). Not validated against the schema: the manifest can be
 * built before the schema has the fields a new portal screen asks for.
 */
export function buildManifest(files: readonly OperationFile[]): OperationManifest {
  const operationFiles = new Map<string, string>();
  const fragmentFiles = new Map<string, string>();
  const operations = files.map((f) => {
    const { operation, fragments, document } = checkOperationFile(f);
    const name = operation.name!.value;
    const other = operationFiles.get(name);
    if (other) throw new Error(`${f.file}: operation ${name} is already defined in ${other}`);
    operationFiles.set(name, f.file);
    for (const fragment of fragments) {
      const elsewhere = fragmentFiles.get(fragment.name.value);
      if (elsewhere) throw new Error(`${f.file}: fragment ${fragment.name.value} is already defined in ${elsewhere}`);
      fragmentFiles.set(fragment.name.value, f.file);
    }
    const body = printOperationDocument(document);
    return { id: operationId(body), name, type: operation.operation as OperationType, body };
  });
  operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { format: MANIFEST_FORMAT, version: 1, operations };
}

/** The manifest file's text: two-space JSON and a final newline, so it diffs well. */
export function serializeManifest(manifest: OperationManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(1),
  operations: z.array(z.strictObject({
    id: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (SHA-256)'),
    name: z.string().min(1),
    type: z.enum(['query', 'mutation', 'subscription']),
    body: z.string().min(1),
  })),
});

/**
 * Reads a manifest (parsed JSON). Each id must be the SHA-256 of its body, each body a document
 * as printOperationDocument prints it whose one operation has the entry's name and type, and ids
 * and names must be unique. An Error names the file and the entry.
 */
export function parseManifest(json: unknown, file = 'manifest.json'): OperationManifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const ids = new Set<string>();
  const names = new Set<string>();
  parsed.data.operations.forEach((entry, i) => {
    const where = `${file}: operations.${i} (${entry.name})`;
    if (operationId(entry.body) !== entry.id) throw new Error(`${where}: id ${entry.id} is not the SHA-256 of its body`);
    let document: DocumentNode;
    try {
      document = parse(entry.body);
    } catch (error) {
      throw new Error(`${where}: body: ${(error as Error).message}`, { cause: error });
    }
    if (printOperationDocument(document) !== entry.body) throw new Error(`${where}: body is not the document as printed for persisted documents (npm run operations writes it)`);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1 || operations[0].name?.value !== entry.name || operations[0].operation !== entry.type) {
      throw new Error(`${where}: body must hold one operation, the ${entry.type} ${entry.name}`);
    }
    if (ids.has(entry.id)) throw new Error(`${where}: id ${entry.id} is listed twice`);
    if (names.has(entry.name)) throw new Error(`${where}: the name ${entry.name} is listed twice`);
    ids.add(entry.id);
    names.add(entry.name);
  });
  return parsed.data;
}

const indexes = new WeakMap<OperationManifest, Map<string, ManifestOperation>>();

/** The registered operation with this id (SHA-256 hex), if any. */
export function findOperation(manifest: OperationManifest, id: string): ManifestOperation | undefined {
  let index = indexes.get(manifest);
  if (!index) {
    index = new Map(manifest.operations.map((o) => [o.id, o]));
    indexes.set(manifest, index);
  }
  return index.get(id);
}

/**
 * Whether a query text is a registered operation: its exact text is a registered body, or it is
 * one once printed as the manifest prints (the same document, differently laid out).
 */
export function isRegistered(manifest: OperationManifest, queryText: string, document?: DocumentNode): boolean {
  if (findOperation(manifest, operationId(queryText))) return true;
  let parsed = document;
  if (!parsed) {
    try {
      parsed = parse(queryText);
    } catch {
      return false;
    }
  }
  return findOperation(manifest, operationId(printOperationDocument(parsed))) !== undefined;
}

/** The id a request names instead of sending its query: APQ's sha256Hash, or `documentId` (`sha256:` optional). */
function requestedId(request: { documentId?: unknown; extensions?: unknown }): string | undefined {
  const extensions = request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined | null;
  const hash = extensions?.persistedQuery?.sha256Hash;
  if (typeof hash === 'string') return hash;
  if (typeof request.documentId === 'string') return request.documentId.replace(/^sha256:/, '');
  return undefined;
}

function refuse(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).json({ errors: [{ message, extensions: { code } }] });
}

const unknownId = (res: Response) => refuse(res, 400, 'PERSISTED_QUERY_NOT_FOUND', 'unknown operation id');

/** Marks a response as an answer to a registered query sent by GET: the gateway lets it be cached (privately). */
export const PERSISTED_GET = 'persistedGet';

/**
 * A GET naming a registered query: `?documentId=<id>` (GraphQL over HTTP) or Apollo's
 * `?extensions={"persistedQuery":{"version":1,"sha256Hash":"<id>"}}`, with `variables` and
 * `operationName` as usual. Its URL is rewritten to carry the operation's text as `query` for
 * Apollo. A mutation is refused (405): it is sent with POST.
 */
function resolveGet(manifest: OperationManifest, req: Request, res: Response, next: () => void): void {
  const url = new URL(req.url, 'http://gateway.invalid');
  const params = url.searchParams;
  if (params.has('query')) return next();
  let extensions: Record<string, unknown> | undefined;
  const extensionsParam = params.get('extensions');
  if (extensionsParam !== null) {
    try {
      const value: unknown = JSON.parse(extensionsParam);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) extensions = value as Record<string, unknown>;
    } catch {
      return next(); // Apollo answers 400 for extensions that are not JSON
    }
  }
  const id = requestedId({ documentId: params.get('documentId') ?? undefined, extensions });
  if (id === undefined) return next();
  const entry = findOperation(manifest, id);
  if (!entry) return unknownId(res);
  if (entry.type !== 'query') {
    return refuse(res, 405, 'BAD_REQUEST', `${entry.name} is a ${entry.type}: send it with POST (GET runs queries only)`, { allow: 'POST', 'cache-control': 'no-store' });
  }
  params.delete('documentId');
  if (extensions) {
    const { persistedQuery: _named, ...rest } = extensions;
    if (Object.keys(rest).length > 0) params.set('extensions', JSON.stringify(rest));
    else params.delete('extensions');
  }
  params.set('query', entry.body);
  req.url = `${url.pathname}?${params.toString()}`;
  // The answer is the caller's own: a cache keeps it per token and purpose.
  res.vary('Authorization').vary('X-Purpose');
  res.locals[PERSISTED_GET] = true;
  next();
}

/**
 * Express middleware, after `express.json()` and before Apollo. A POST whose JSON body names a
 * registered operation by id and sends no `query` gets the operation's text as its `query`; a GET
 * naming a registered query by id gets it as its `query` parameter (resolveGet). An unknown id is
 * HTTP 400 PERSISTED_QUERY_NOT_FOUND. The id is then taken off the request, so Apollo's own APQ
 * cache (better switched off: `persistedQueries: false`) plays no part.
 */
export function resolvePersistedOperation(manifest: OperationManifest): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET') return resolveGet(manifest, req, res, next);
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return next();
    const request = body as Record<string, unknown>;
    if (request.query !== undefined && request.query !== null) return next();
    const id = requestedId(request);
    if (id === undefined) return next();
    const entry = findOperation(manifest, id);
    if (!entry) return unknownId(res);
    request.query = entry.body;
    delete request.documentId;
    if (typeof request.extensions === 'object' && request.extensions !== null) {
      const { persistedQuery: _named, ...rest } = request.extensions as Record<string, unknown>;
      request.extensions = rest;
    }
    next();
  };
}

export interface CitizenOperationCheck {
  production: boolean;
  /** The principal's kind ('citizen', 'staff'), undefined when no one is signed in. */
  principalKind: string | undefined;
  /** The query text the request runs (after resolvePersistedOperation). */
  query: string | undefined;
  /** The text parsed, when at hand (saves parsing it again). */
  document?: DocumentNode;
  manifest: OperationManifest;
}

/**
 * In production a citizen token may run only registered operations: throws FORBIDDEN (HTTP 403)
 * otherwise. Staff, and every caller outside production, pass.
 */
export function assertRegisteredForCitizen({ production, principalKind, query, document, manifest }: CitizenOperationCheck): void {
  if (!production || principalKind !== 'citizen') return;
  if (query !== undefined && isRegistered(manifest, query, document)) return;
  throw new GraphQLError('only registered operations may be run with a citizen token', {
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
}
