/**
 * `npm run codegen`: writes subgraphs/generated/<subgraph>.ts from the subgraphs' SDL (schema/codegen.ts).
 * Built on its own (tsconfig.codegen.json), so stale generated files that no longer compile never stop it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { GENERATED_DIR, generateAll, generatedFile } from '../schema/codegen.js';
import type { SubgraphName } from '../schema/index.js';

try {
  mkdirSync(GENERATED_DIR(), { recursive: true });
  for (const [name, text] of Object.entries(await generateAll())) {
    writeFileSync(generatedFile(name as SubgraphName), text);
    console.log(`wrote ${generatedFile(name as SubgraphName)}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
