import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Every test stack's log lines are also written to this folder; global-teardown.js reads them all. */
export default function globalSetup() {
  process.env.VIKNO_TEST_LOG_DIR = mkdtempSync(path.join(tmpdir(), 'vikno-test-logs-'));
}
