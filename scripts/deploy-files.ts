/**
 * `npm run deploy:files`: writes docker-compose.yml, deploy/prometheus.yml and .env.example from the
 * domain declarations (domain/domains.ts), memorandum.yaml and the emulators (emulators/registry.ts).
 * Run it after adding a domain or a memorandum entry; test/ops/deploy-files.test.ts fails until then.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum } from '../domain/memorandum.js';
import { projectRoot } from '../domain/project-root.js';
import { EMULATORS } from '../emulators/registry.js';
import { PUBLISHED_SECRETS } from '../stack/published-secrets.js';
import { deployFiles, DEPLOY_FILES, projectDeployInput } from './deploy/index.js';

try {
  const root = projectRoot();
  const files = deployFiles(projectDeployInput(await loadMemorandum(DEFAULT_MEMORANDUM_FILE), Object.keys(EMULATORS)));
  for (const file of DEPLOY_FILES) {
    const target = path.join(root, file);
    const before = (() => { try { return readFileSync(target, 'utf8'); } catch { return undefined; } })();
    if (before === files[file]) {
      console.log(`${file}: up to date`);
      continue;
    }
    writeFileSync(target, files[file]);
    console.log(`${file}: written`);
  }
  // A new partner's secret placeholder is published the moment it is committed: a production start must refuse it.
  const unlisted = files['.env.example'].split('\n').map((line) => line.slice(line.indexOf('=') + 1))
    .filter((value) => value.startsWith('replace-me-') && !PUBLISHED_SECRETS.has(value));
  if (unlisted.length > 0) {
    console.log(`\nAdd to stack/published-secrets.ts (test/ops/compose.test.ts checks it):\n${unlisted.map((v) => `  '${v}',`).join('\n')}`);
  }
} catch (error) {
  console.error(`deploy:files: ${(error as Error).message}`);
  process.exitCode = 1;
}
