import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgClient, openTrail, type OpenedTrail } from '../../audit/index.js';

export const TEST_TRAIL_KEY = 'a trail key for the test stacks only';
export const TEST_SEAL_KEY = 'a seal key for the test stacks only, 32+ chars';

let opened = 0;

/**
 * Puts the embedded store's empty files (made once for the whole run by test/global-setup.js) in
 * `dataDir`, so opening it there skips initdb. For tests about something else than creating a trail.
 */
export function seedEmbeddedStore(dataDir: string): void {
  const template = process.env.VIKNO_TEST_PGLITE_TEMPLATE;
  if (template) cpSync(template, dataDir, { recursive: true });
}

export interface TestTrail extends OpenedTrail {
  /** Closes the trail and removes its table (PostgreSQL) or folder (embedded). */
  dispose(): Promise<void>;
}

/**
 * A real access trail of a test stack's own: on PostgreSQL in a schema of its own when DATABASE_URL
 * is set (as .ci/run does), else the embedded store in a temporary folder (slower to create).
 */
export async function openTestTrail(): Promise<TestTrail> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vikno-test-trail-'));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const schema = `test_${process.pid}_${(opened += 1)}`;
  if (!databaseUrl) seedEmbeddedStore(path.join(dir, 'trail'));
  const trail = await openTrail({
    databaseUrl, dataDir: path.join(dir, 'trail'), trailKey: TEST_TRAIL_KEY, sealKey: TEST_SEAL_KEY,
    checkpointDir: path.join(dir, 'checkpoints'), table: databaseUrl ? `${schema}.trail` : undefined,
  });
  return Object.assign(trail, {
    async dispose() {
      await trail.close();
      if (databaseUrl) {
        const client = createPgClient(databaseUrl);
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.close());
      }
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
