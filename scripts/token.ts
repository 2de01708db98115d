/**
 * `npm run --silent token -- staff | citizen <РНОКПП> [options]`: prints a development token and
 * nothing else on stdout, so `TOKEN=$(npm run --silent token -- staff)` works. Errors go to stderr;
 * exit status 2 for a usage error, 1 when no token can be issued (NODE_ENV=production, say).
 * The work is done in identity/token-command.ts.
 */
import { tokenCommand } from '../identity/token-command.js';

const { status, stdout, stderr } = await tokenCommand(process.argv.slice(2), { env: process.env });
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = status;
