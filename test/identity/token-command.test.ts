import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDevIssuer } from '../../identity/dev-issuer.js';
import { TOKEN_USAGE, tokenCommand } from '../../identity/token-command.js';
import { createTokenVerifier } from '../../identity/verify.js';
import { ALL_SCOPES } from '../../identity/principal.js';
import { refusal, unauthenticated } from './refusal.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const env = {};
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vikno-token-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  return tokenCommand(argv, { env, dir, now: () => NOW });
}

async function verify(stdout: string, secondsLater = 0) {
  expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const { verifierOptions } = await loadDevIssuer({ dir, env });
  return createTokenVerifier({ ...verifierOptions, now: () => new Date(NOW.getTime() + secondsLater * 1000) }).verify(stdout.trim());
}

describe('npm run token', () => {
  it('prints only a token for the demo staff member with every scope', async () => {
    const result = await run('staff');
    expect({ ...result, stdout: '' }).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(await verify(result.stdout)).toEqual({ kind: 'staff', id: 'staff-0042', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scopes: ALL_SCOPES });
  });

  it('prints a token for a citizen', async () => {
    expect(await verify((await run('citizen', '3111901220')).stdout)).toEqual({ kind: 'citizen', taxId: '3111901220' });
  });

  it('narrows the scopes, names another staff member and shortens the lifetime', async () => {
    const { stdout } = await run('staff', '--scopes', 'gas:read,cadastre:read', '--ttl=60', '--id', 'staff-0007', '--name', 'Олег Бондар', '--centre', 'ЦНАП м. Львів');
    expect(await verify(stdout, 59)).toEqual({ kind: 'staff', id: 'staff-0007', name: 'Олег Бондар', centre: 'ЦНАП м. Львів', scopes: ['gas:read', 'cadastre:read'] });
    expect(await refusal(verify(stdout, 60))).toEqual(unauthenticated('the token has expired'));
  });

  it.each([
    [[], 'say staff or citizen'],
    [['admin'], 'unknown kind "admin": say staff or citizen'],
    [['staff', '--scopes', 'gas:read,gas:write'], `--scopes: unknown scope "gas:write" (known: ${ALL_SCOPES.join(', ')})`],
    [['staff', '--ttl', '0'], '--ttl must be a whole number of seconds above 0'],
    [['staff', '--ttl', '1h'], '--ttl must be a whole number of seconds above 0'],
    [['staff', '--ttl'], '--ttl needs a value'],
    [['staff', '--role', 'admin'], 'unknown option --role'],
    [['staff', 'extra'], 'staff takes no arguments, only options'],
    [['citizen'], 'citizen: the tax id (РНОКПП) is missing'],
    [['citizen', '3111901221'], 'citizen: taxId check digit does not match'],
    [['citizen', '31119'], 'citizen: taxId must be exactly 10 digits'],
    [['citizen', '3111901220', '--scopes', 'gas:read'], '--scopes is for staff tokens'],
  ])('exits 2 with a usage error for %j', async (argv, message) => {
    expect(await run(...argv)).toEqual({ status: 2, stdout: '', stderr: `${message}\n\n${TOKEN_USAGE}\n` });
  });

  it('prints the usage on --help', async () => {
    expect(await run('--help')).toEqual({ status: 0, stdout: `${TOKEN_USAGE}\n`, stderr: '' });
  });

  it('refuses under NODE_ENV=production with exit 1', async () => {
    expect(await tokenCommand(['staff'], { env: { NODE_ENV: 'production' }, dir })).toEqual({
      status: 1, stdout: '', stderr: 'the development issuer does not run when NODE_ENV=production\n',
    });
  });
});
