/**
 * `npm run trail:verify`: prints `trail intact: N records` (exit 0) or
 * `trail broken at record #seq: <reason> (<detail>)` (exit 1) for the access trail in
 * DATABASE_URL, or in the embedded store (TRAIL_DIR, default .vikno/trail) when it is unset.
 */
import { runTrailVerify } from '../audit/verify-command.js';

process.exitCode = await runTrailVerify(process.env, (line) => console.log(line));
