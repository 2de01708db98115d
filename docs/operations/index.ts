import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import { parseManifest, type OperationFile, type OperationManifest } from '../../gateway/persisted.js';

/** The citizen portal's registered operations: one `.graphql` file each, and the manifest built from them. */

export const operationsDir = () => path.join(projectRoot(), 'docs', 'operations');
export const manifestFile = () => path.join(operationsDir(), 'manifest.json');

/** Every `.graphql` file here, by file name, with its exact text. */
export function readOperationFiles(dir = operationsDir()): OperationFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => ({ file: path.join(path.basename(dir), name), text: readFileSync(path.join(dir, name), 'utf8') }));
}

/** The checked-in manifest, for the gateway's main to hand to resolvePersistedOperation. */
export function readManifest(file = manifestFile()): OperationManifest {
  return parseManifest(JSON.parse(readFileSync(file, 'utf8')), path.relative(projectRoot(), file));
}
