import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { GraphQLError, Kind, parse } from 'graphql';
import { z } from 'zod';

/**
 * The citizen portal's operations, registered in advance (docs/operations/, `npm run operations`).
 * An operation's id is the SHA-256 (hex) of its exact text, which is also Apollo's persisted-query
 * hash, so a client may send the id in Apollo's APQ shape or as a GraphQL-over-HTTP `documentId`.
 * In production a citizen token runs only these; staff may send any query the limits allow.
 */

export interface ManifestEntry {
  /** The operation's name, e.g. MyOverview. */
  name: string;
  /** The document's exact text: what the id is the hash of. */
  body: string;
}

export interface OperationManifest {
  /** By id (SHA-256 hex of the body), ordered by name. */
  operations: Record<string, ManifestEntry>;
}

export interface OperationFile {
  /** Where the text came from, for error messages. */
  file: string;
  text: string;
}

export function operationId(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The one named operation of a document; an Error names the file and what is wrong. */
function operationName({ file, text }: OperationFile): string {
  let operations;
  try {
    operations = parse(text).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  if (operations.length !== 1) throw new Error(`${file}: expected one operation, found ${operations.length}`);
  const name = operations[0].name?.value;
  if (!name) throw new Error(`${file}: the operation has no name`);
  return name;
}

/**
 * The manifest of the given documents. Each must parse and hold one named operation, and no two may
 * share a name. Not validated against the schema: the manifest can be built before the schema has
 * the fields a new portal screen asks for.
 */
export function buildManifest(files: readonly OperationFile[]): OperationManifest {
  const named = files.map((f) => ({ name: operationName(f), file: f.file, body: f.text }));
  const byName = new Map<string, string>();
  for (const { name, file } of named) {
    const other = byName.get(name);
    if (other) throw new Error(`${file}: operation ${name} is already defined in ${other}`);
    byName.set(name, file);
  }
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { operations: Object.fromEntries(named.map(({ name, body }) => [operationId(body), { name, body }])) };
}

/** The manifest file's text: two-space JSON and a final newline, so it diffs well. */
export function serializeManifest(manifest: OperationManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const manifestSchema = z.strictObject({
  operations: z.record(z.string().regex(/^[0-9a-f]{64}$/), z.strictObject({ name: z.string().min(1), body: z.string().min(1) })),
});

/** Reads a manifest (parsed JSON), checking that every id is the hash of its body. */
export function parseManifest(json: unknown, file = 'manifest.json'): OperationManifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  for (const [id, entry] of Object.entries(parsed.data.operations)) {
    if (operationId(entry.body) !== id) throw new Error(`${file}: operations.${id} (${entry.name}) is not the SHA-256 of its body`);
  }
  return parsed.data;
}

export function isRegistered(manifest: OperationManifest, queryText: string): boolean {
  return Object.hasOwn(manifest.operations, operationId(queryText));
}

/** The id a request names instead of sending its query: APQ's sha256Hash, or `documentId` (`sha256:` optional). */
function requestedId(body: Record<string, unknown>): string | undefined {
  const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
  const hash = extensions?.persistedQuery?.sha256Hash;
  if (typeof hash === 'string') return hash;
  if (typeof body.documentId === 'string') return body.documentId.replace(/^sha256:/, '');
  return undefined;
}

/**
 * Express middleware, after `express.json()` and before Apollo: a JSON body that names a registered
 * operation by id and sends no `query` gets the operation's text as its `query`; an unknown id is
 * HTTP 400 PERSISTED_QUERY_NOT_FOUND. The id is then taken off the body, so Apollo's own APQ cache
 * (better switched off: `persistedQueries: false`) plays no part.
 */
export function resolvePersistedOperation(manifest: OperationManifest): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return next();
    const request = body as Record<string, unknown>;
    if (request.query !== undefined && request.query !== null) return next();
    const id = requestedId(request);
    if (id === undefined) return next();
    const entry = Object.hasOwn(manifest.operations, id) ? manifest.operations[id] : undefined;
    if (!entry) {
      res.status(400).json({ errors: [{ message: 'unknown operation id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
      return;
    }
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
  manifest: OperationManifest;
}

/**
 * In production a citizen token may run only registered operations: throws FORBIDDEN (HTTP 403)
 * otherwise. Staff, and every caller outside production, pass.
 */
export function assertRegisteredForCitizen({ production, principalKind, query, manifest }: CitizenOperationCheck): void {
  if (!production || principalKind !== 'citizen') return;
  if (query !== undefined && isRegistered(manifest, query)) return;
  throw new GraphQLError('only registered operations may be run with a citizen token', {
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
}
