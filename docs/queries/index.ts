import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';

/** A query document from docs/queries with the shared fragments appended. */
export function loadQuery(name: string): string {
  const dir = path.join(projectRoot(), 'docs', 'queries');
  return `${readFileSync(path.join(dir, `${name}.graphql`), 'utf8')}\n${readFileSync(path.join(dir, 'fragments.graphql'), 'utf8')}`;
}
