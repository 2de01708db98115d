/**
 * `npm run codegen`: writes subgraphs/generated/<subgraph>.ts from the subgraphs' SDL (schema/codegen.ts),
 * and the pages' typed client and the console's look-up (schema/web-codegen.ts).
 * Built on its own (tsconfig.codegen.json), so stale generated files that no longer compile never stop it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_DIR, generateAll, generatedFile, type GeneratedModule } from '../schema/codegen.js';
import { generateWebFiles } from '../schema/web-codegen.js';
import { projectRoot } from '../domain/project-root.js';

try {
  mkdirSync(GENERATED_DIR(), { recursive: true });
  for (const [name, text] of Object.entries(await generateAll())) {
    mkdirSync(path.dirname(generatedFile(name as GeneratedModule)), { recursive: true });
    writeFileSync(generatedFile(name as GeneratedModule), text);
    console.log(`wrote ${generatedFile(name as GeneratedModule)}`);
  }
  // The pages' typed client and the console's look-up (schema/web-codegen.ts).
  for (const [file, text] of Object.entries(await generateWebFiles())) {
    mkdirSync(path.dirname(path.join(projectRoot(), file)), { recursive: true });
    writeFileSync(path.join(projectRoot(), file), text);
    console.log(`wrote ${file}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
