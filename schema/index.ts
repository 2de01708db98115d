import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { composeServices } from '@apollo/composition';
import { projectRoot } from '../domain/project-root.js';
import { declarationOf, DOMAINS, type Domain, type DomainDeclaration } from '../domain/domains.js';

/**
 * The subgraphs, their SDL files and default ports: the centre's, and one per domain as its
 * declaration says (domain/domains.ts). A subgraph's SDL is its own file plus the shared type files
 * its kind uses; the same text is served as `_service { sdl }` and composed into the supergraph.
 */

export type SubgraphName = 'centre' | Domain;

interface SubgraphSchemaSpec {
  shared: readonly string[];
  defaultPort: number;
}

/** The shared type files each kind of domain's SDL uses. */
export const SHARED_BY_KIND: Readonly<Record<DomainDeclaration['kind'], readonly string[]>> = {
  utility: ['scalars', 'partner-data', 'paging', 'utility'],
  registry: ['scalars', 'partner-data', 'registry'],
};

export const SUBGRAPHS: Readonly<Record<SubgraphName, SubgraphSchemaSpec>> = {
  centre: { shared: ['scalars', 'paging'], defaultPort: 4001 },
  ...(Object.fromEntries(DOMAINS.map((d) => {
    const declaration = declarationOf(d);
    return [d, { shared: SHARED_BY_KIND[declaration.kind], defaultPort: declaration.defaultPort }];
  })) as Record<Domain, SubgraphSchemaSpec>),
};

export const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

const schemaDir = () => path.join(projectRoot(), 'schema');

/** Files of schema/ joined into one SDL text. */
const joinSdl = (files: readonly string[]) => files.map((file) => readFileSync(path.join(schemaDir(), file), 'utf8').trim()).join('\n\n') + '\n';
const sharedFiles = (shared: readonly string[]) => shared.map((s) => `shared/${s}.graphql`);

export function subgraphSdl(name: SubgraphName): string {
  return joinSdl([`subgraphs/${name}.graphql`, ...sharedFiles(SUBGRAPHS[name].shared)]);
}

/** The shared type files a kind of domain uses, as one SDL text (the generated kind types start from it). */
export function sharedSdl(kind: DomainDeclaration['kind']): string {
  return joinSdl(sharedFiles(SHARED_BY_KIND[kind]));
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(subgraphSdl(name));
}

export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://127.0.0.1:${SUBGRAPHS[name].defaultPort}/graphql`;
}

export const SUPERGRAPH_FILE = () => path.join(schemaDir(), 'supergraph.graphql');

/** Composes SDLs (by subgraph name); throws with every composition error listed. */
function compose(sdls: Readonly<Record<SubgraphName, string>>, urls: Partial<Record<SubgraphName, string>> = {}) {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name] ?? defaultSubgraphUrl(name), typeDefs: parse(sdls[name]) })),
  );
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  return result;
}

/** Composes SDLs (by subgraph name) into a supergraph; throws with every composition error listed. */
export function composeSupergraph(sdls: Readonly<Record<SubgraphName, string>>, urls: Partial<Record<SubgraphName, string>> = {}): string {
  return compose(sdls, urls).supergraphSdl;
}

const filesSdl = () => Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphSdl(n)])) as Record<SubgraphName, string>;

export function composeFromFiles(): string {
  return composeSupergraph(filesSdl());
}

/** The schema clients see, composed from the files: federation's own machinery left out. */
export function apiSchemaFromFiles(): GraphQLSchema {
  return compose(filesSdl()).schema.toAPISchema().toGraphQLJSSchema();
}

export function readCheckedInSupergraph(): string {
  return readFileSync(SUPERGRAPH_FILE(), 'utf8');
}
