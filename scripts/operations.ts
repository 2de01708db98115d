/** `npm run operations`: writes docs/operations/manifest.json (Apollo's persisted-query manifest format) from the portal's operations beside it. */
import { writeFileSync } from 'node:fs';
import { manifestFile, readOperationFiles } from '../docs/operations/index.js';
import { buildManifest, serializeManifest } from '../gateway/persisted.js';

try {
  const manifest = buildManifest(readOperationFiles());
  writeFileSync(manifestFile(), serializeManifest(manifest));
  const names = manifest.operations.map((o) => o.name);
  console.log(`wrote ${manifestFile()}: ${names.length} operations (${names.join(', ')})`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
