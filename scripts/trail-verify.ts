/**
 * `npm run trail:verify`: checks the access trail's chain, seals and checkpoints, and prints
 * `trail intact: N records, N seals and M checkpoints checked (…)` (exit 0), the first thing wrong,
 * e.g. `trail broken at record #seq: <reason> (<detail>)` (exit 1), or why it could not be opened
 * (exit 2). The trail is the one in DATABASE_URL (with TRAIL_SEAL_KEY and TRAIL_CHECKPOINT_DIR),
 * or the embedded store (TRAIL_DIR, default .vikno/trail) when it is unset.
 */
import { runTrailVerify } from '../audit/verify-command.js';

process.exitCode = await runTrailVerify(process.env, (line) => console.log(line));
