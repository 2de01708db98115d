import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Every test stack's log lines are also written to this folder; global-teardown.js reads them all.
 * Without DATABASE_URL each test stack's access trail is the embedded store: its files are made once
 * here (initdb takes seconds) and copied for each stack (test/helpers/trail.ts).
 */
export default function globalSetup() {
  process.env.VIKNO_TEST_LOG_DIR = mkdtempSync(path.join(tmpdir(), 'vikno-test-logs-'));
  if (process.env.DATABASE_URL) return;
  const template = path.join(mkdtempSync(path.join(tmpdir(), 'vikno-test-pglite-')), 'db');
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); const db = await PGlite.create(process.argv[1]); await db.close();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script, template], { timeout: 120_000 });
  process.env.VIKNO_TEST_PGLITE_TEMPLATE = template;
}
