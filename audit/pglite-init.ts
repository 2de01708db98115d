import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Creates the embedded database's files (initdb) in a short-lived child process when the folder
 * holds none yet. Run in this process, initdb leaves half a gigabyte of WebAssembly memory behind
 * that is never given back; the process that then opens the folder needs about a third of that.
 */
export async function initEmbeddedDatabase(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); const db = await PGlite.create(process.argv[1]); await db.close();`;
  try {
    await run(process.execPath, ['--input-type=module', '-e', script, dataDir], { timeout: 120_000 });
  } catch (error) {
    throw new Error(`the embedded access trail could not be created in ${dataDir}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
}
