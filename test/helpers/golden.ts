import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';

/**
 * A whole answer pinned in test/fixtures/golden/<name>.json. With UPDATE_GOLDEN=1 the file is
 * (re)written from the actual answer instead: review its diff before committing it.
 */
export function golden(name: string, actual: unknown): unknown {
  const file = path.join(projectRoot(), 'test', 'fixtures', 'golden', `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI) throw new Error(`golden file ${file} is missing; run the tests with UPDATE_GOLDEN=1 locally`);
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}
