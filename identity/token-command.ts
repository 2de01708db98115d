/**
 * The core of `npm run token`: arguments in, exit status and output out, no process globals, so
 * the test drives it directly. scripts/token.ts only prints what it returns.
 */
import { checkRnokpp } from '../domain/identifiers.js';
import { assertNotProduction, DEMO_STAFF, DEV_ISSUER, loadDevIssuer, type DevTokenClaims } from './dev-issuer.js';
import { ALL_SCOPES, isScope } from './principal.js';

export const TOKEN_USAGE = `usage: npm run --silent token -- staff [--scopes <s,…>] [--id <id>] [--name <name>] [--centre <centre>] [--ttl <seconds>]
       npm run --silent token -- citizen <РНОКПП> [--ttl <seconds>]

Prints a token of the development issuer (${DEV_ISSUER}) and nothing else:
  TOKEN=$(npm run --silent token -- staff)
  curl -H "Authorization: Bearer $TOKEN" …

  staff            the demo staff member ${DEMO_STAFF.id}, ${DEMO_STAFF.name}, ${DEMO_STAFF.centre}
  citizen <РНОКПП> a signed-in citizen, who may read only themself
  --scopes <s,…>   only these scopes (default all: ${ALL_SCOPES.join(',')})
  --id, --name, --centre   another staff member
  --ttl <seconds>  lifetime (default 3600)

Refuses to run when NODE_ENV=production.`;

export interface TokenCommandResult {
  /** 0 printed a token (or the usage), 1 could not issue, 2 usage error. */
  status: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export interface TokenCommandOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Where the development issuer keeps its key (default `<project root>/.vikno`). */
  dir?: string;
  now?: () => Date;
}

class UsageError extends Error {}

const STAFF_OPTIONS = ['--scopes', '--id', '--name', '--centre'];
const OPTIONS = [...STAFF_OPTIONS, '--ttl'];

export async function tokenCommand(argv: readonly string[], options: TokenCommandOptions): Promise<TokenCommandResult> {
  if (argv.includes('--help') || argv.includes('-h')) return { status: 0, stdout: `${TOKEN_USAGE}\n`, stderr: '' };
  let request: { claims: DevTokenClaims; ttlSeconds?: number };
  try {
    assertNotProduction(options.env);
    request = parseArgs(argv);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UsageError) return { status: 2, stdout: '', stderr: `${message}\n\n${TOKEN_USAGE}\n` };
    return { status: 1, stdout: '', stderr: `${message}\n` };
  }
  try {
    const issuer = await loadDevIssuer({ dir: options.dir, env: options.env, now: options.now });
    const token = await issuer.issue(request.claims, { ttlSeconds: request.ttlSeconds });
    return { status: 0, stdout: `${token}\n`, stderr: '' };
  } catch (error) {
    return { status: 1, stdout: '', stderr: `token: ${(error as Error).message}\n` };
  }
}

function parseArgs(argv: readonly string[]): { claims: DevTokenClaims; ttlSeconds?: number } {
  const positional: string[] = [];
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!OPTIONS.includes(name)) throw new UsageError(`unknown option ${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    given.set(name, value);
  }

  const [kind, ...rest] = positional;
  const ttl = given.get('--ttl');
  let ttlSeconds: number | undefined;
  if (ttl !== undefined) {
    if (!/^\d+$/.test(ttl) || Number(ttl) === 0) throw new UsageError('--ttl must be a whole number of seconds above 0');
    ttlSeconds = Number(ttl);
  }

  if (kind === 'citizen') {
    const [taxId, ...extra] = rest;
    if (taxId === undefined) throw new UsageError('citizen: the tax id (РНОКПП) is missing');
    if (extra.length > 0) throw new UsageError('citizen: one tax id at a time');
    const staffOnly = STAFF_OPTIONS.find((o) => given.has(o));
    if (staffOnly) throw new UsageError(`${staffOnly} is for staff tokens`);
    const reason = checkRnokpp(taxId);
    if (reason) throw new UsageError(`citizen: taxId ${reason}`);
    return { claims: { kind: 'citizen', taxId }, ttlSeconds };
  }
  if (kind === 'staff') {
    if (rest.length > 0) throw new UsageError('staff takes no arguments, only options');
    const claims: Extract<DevTokenClaims, { kind: 'staff' }> = { kind: 'staff' };
    for (const field of ['id', 'name', 'centre'] as const) {
      const value = given.get(`--${field}`);
      if (value === undefined) continue;
      if (value.trim() === '') throw new UsageError(`--${field} must not be empty`);
      claims[field] = value;
    }
    const scopes = given.get('--scopes');
    if (scopes !== undefined) {
      const list = scopes.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = list.find((s) => !isScope(s));
      if (unknown !== undefined) throw new UsageError(`--scopes: unknown scope "${unknown}" (known: ${ALL_SCOPES.join(', ')})`);
      claims.scopes = list;
    }
    return { claims, ttlSeconds };
  }
  throw new UsageError(kind === undefined ? 'say staff or citizen' : `unknown kind "${kind}": say staff or citizen`);
}
