import { openTrail, trailOptionsFromEnv } from './open.js';

/**
 * `npm run trail:verify`: checks the access trail the environment names (DATABASE_URL, or the
 * embedded store in TRAIL_DIR / .vikno/trail). Needs no TRAIL_KEY: the chain is over subject hashes.
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
      print(`trail intact: ${result.count} records`);
      return 0;
    }
    print(`trail broken at record #${result.seq}: ${result.reason} (${result.detail})`);
    return 1;
  } finally {
    await trail.close();
  }
}
