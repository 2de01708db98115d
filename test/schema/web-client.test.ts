import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import { CONSOLE_OPERATION_FILE, generateWebFiles } from '../../schema/web-codegen.js';

/**
 * The pages' typed client, their domain list and the console's look-up are what the schema, the
 * registered operations and the domain declarations say now: a change to any of them without
 * `npm run codegen` fails here.
 */
const files = await generateWebFiles();

describe('the files generated for the pages (web/generated/, the console\'s look-up)', () => {
  it('cover every registered operation and the console\'s generated look-up', () => {
    expect(Object.keys(files).sort()).toEqual([
      `docs/operations/${CONSOLE_OPERATION_FILE}`,
      'web/generated/domains.ts', 'web/generated/gql.ts', 'web/generated/graphql.ts', 'web/generated/index.ts', 'web/generated/persisted-documents.json',
    ]);
    const persisted = JSON.parse(files['web/generated/persisted-documents.json']) as Record<string, string>;
    expect(Object.values(persisted).map((text) => /\b(?:query|mutation) (\w+)/.exec(text)?.[1]).sort()).toEqual([
      'ConsoleCitizen', 'IssueParcelExtract', 'IssueVehicleRegistrationExtract', 'MyAccessLog', 'MyOverview', 'PartnerStatuses', 'PublishedTariffs',
    ]);
  });

  it.each(Object.keys(files))('are up to date: %s (else: npm run codegen)', (file) => {
    const checkedIn = readFileSync(path.join(projectRoot(), file), 'utf8');
    expect({ file, upToDate: checkedIn === files[file] }).toEqual({ file, upToDate: true });
  });
});
