/** `npm run compose`: writes schema/supergraph.graphql from the subgraphs' SDL (rover cannot be installed here). */
import { writeFileSync } from 'node:fs';
import { composeFromFiles, SUPERGRAPH_FILE } from '../schema/index.js';

try {
  const supergraph = composeFromFiles();
  writeFileSync(SUPERGRAPH_FILE(), supergraph);
  console.log(`wrote ${SUPERGRAPH_FILE()}`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
