import { openTrail, trailOptionsFromEnv } from './open.js';

/**
 * `npm run trail:verify`: checks the access trail the environment names (DATABASE_URL, or the
 * embedded store in TRAIL_DIR / .vikno/trail): its chain, its seals (TRAIL_SEAL_KEY) and the
 * checkpoints in TRAIL_CHECKPOINT_DIR. Needs no TRAIL_KEY: the chain is over subject hashes.
 * Exit status: 0 intact, 1 broken, 2 the trail could not be opened.
 */
export async function runTrailVerify(env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  let trail;
  try {
    trail = await openTrail({ ...trailOptionsFromEnv(env), verifyOnly: true });
  } catch (error) {
    print(`trail not verified: ${(error as Error).message}`);
    return 2;
  }
  try {
    const result = await trail.verify();
    if (result.ok) {
      const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
      print(`trail intact: ${n(result.count, 'record', 'records')}, ${n(result.sealed, 'seal', 'seals')} and `
        + `${n(result.checkpoints, 'checkpoint', 'checkpoints')} checked (checkpoints in ${trail.checkpointDir})`);
      return 0;
    }
    print(result.seq === null
      ? `trail broken: ${result.detail}`
      : `trail broken at record #${result.seq}: ${result.reason} (${result.detail})`);
    return 1;
  } finally {
    await trail.close();
  }
}
