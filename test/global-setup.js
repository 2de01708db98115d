import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Every test stack's log lines are also written to this folder; global-teardown.js reads them all.
 * The embedded store's empty files (initdb: about 7 s of CPU in a child process) are made once here
 * and copied wherever a test opens an embedded trail that is not about creating one
 * (test/helpers/trail.ts, seedEmbeddedStore): test stacks without DATABASE_URL, the trail's
 * embedded-store tests, and the stack processes the lifecycle tests start.
 */
export default function globalSetup() {
  process.env.VIKNO_TEST_LOG_DIR = mkdtempSync(path.join(tmpdir(), 'vikno-test-logs-'));
  const template = path.join(mkdtempSync(path.join(tmpdir(), 'vikno-test-pglite-')), 'db');
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); const db = await PGlite.create(process.argv[1]); await db.close();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script, template], { timeout: 120_000 });
  process.env.VIKNO_TEST_PGLITE_TEMPLATE = template;
}
