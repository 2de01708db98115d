import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
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

export function subgraphSdl(name: SubgraphName): string {
  const dir = schemaDir();
  const parts = [path.join(dir, 'subgraphs', `${name}.graphql`), ...SUBGRAPHS[name].shared.map((s) => path.join(dir, 'shared', `${s}.graphql`))];
  return parts.map((file) => readFileSync(file, 'utf8').trim()).join('\n\n') + '\n';
}

/** The shared type files a kind of domain uses, as one SDL text (the generated kind types start from it). */
export function sharedSdl(kind: DomainDeclaration['kind']): string {
  return SHARED_BY_KIND[kind].map((s) => readFileSync(path.join(schemaDir(), 'shared', `${s}.graphql`), 'utf8').trim()).join('\n\n') + '\n';
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(subgraphSdl(name));
}

export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://127.0.0.1:${SUBGRAPHS[name].defaultPort}/graphql`;
}

export const SUPERGRAPH_FILE = () => path.join(schemaDir(), 'supergraph.graphql');

/** Composes SDLs (by subgraph name) into a supergraph; throws with every composition error listed. */
export function composeSupergraph(sdls: Readonly<Record<SubgraphName, string>>, urls: Partial<Record<SubgraphName, string>> = {}): string {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name] ?? defaultSubgraphUrl(name), typeDefs: parse(sdls[name]) })),
  );
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}

export function composeFromFiles(): string {
  return composeSupergraph(Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphSdl(n)])) as Record<SubgraphName, string>);
}

export function readCheckedInSupergraph(): string {
  return readFileSync(SUPERGRAPH_FILE(), 'utf8');
}
