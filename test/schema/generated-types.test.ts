import { readFileSync } from 'node:fs';
import { GENERATED_MODULES, generateSubgraphTypes, generatedFile } from '../../schema/codegen.js';

/** The generated types are what the SDL says now: a change to the SDL without `npm run codegen` fails here. */
describe('the types generated from the subgraphs\' SDL (subgraphs/generated/)', () => {
  it.each(GENERATED_MODULES)('are up to date for %s (else: npm run codegen)', async (name) => {
    const checkedIn = readFileSync(generatedFile(name), 'utf8');
    const fresh = await generateSubgraphTypes(name);
    expect({ file: `subgraphs/generated/${name}.ts`, upToDate: checkedIn === fresh }).toEqual({ file: `subgraphs/generated/${name}.ts`, upToDate: true });
  });
});
