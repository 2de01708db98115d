import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_SCOPES } from '../../identity/principal.js';
import { loadDevIssuer } from '../../identity/dev-issuer.js';
import { createTokenVerifier } from '../../identity/verify.js';
import { refusal, unauthenticated } from './refusal.js';

const env = { NODE_ENV: 'development' };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vikno-dev-issuer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the development issuer', () => {
  it('refuses to run when NODE_ENV=production, and writes no key', async () => {
    expect(await refusal(loadDevIssuer({ dir, env: { NODE_ENV: 'production' } }))).toEqual({
      error: 'Error', code: undefined, message: 'the development issuer does not run when NODE_ENV=production', retryable: undefined, hasCause: false,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('creates its key once, readable by the owner only, and reuses it', async () => {
    const first = await loadDevIssuer({ dir, env });
    const file = path.join(dir, 'dev-issuer.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readFileSync(file, 'utf8');
    expect(JSON.parse(written)).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: first.publicJwk.kid });

    const second = await loadDevIssuer({ dir, env });
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(readFileSync(file, 'utf8')).toBe(written);
    await expect(createTokenVerifier(second.verifierOptions).verify(await first.issue({ kind: 'citizen', taxId: '3111901220' }))).resolves.toEqual({
      kind: 'citizen', taxId: '3111901220',
    });
  });

  it('ends with one key when two processes start at once', async () => {
    const issuers = await Promise.all([1, 2, 3].map(() => loadDevIssuer({ dir, env })));
    expect(new Set(issuers.map((i) => i.publicJwk.x)).size).toBe(1);
    expect(readdirSync(dir)).toEqual(['dev-issuer.json']);
  });

  it('publishes only the public half of the key', async () => {
    const { publicJwk, verifierOptions } = await loadDevIssuer({ dir, env });
    expect(Object.keys(publicJwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(verifierOptions).toEqual({ issuer: 'vikno-dev-issuer', audience: 'vikno', publicKey: JSON.stringify(publicJwk), algorithms: ['EdDSA'] });
  });

  it('refuses a key file that holds something else, naming the file', async () => {
    writeFileSync(path.join(dir, 'dev-issuer.json'), '{"kty":"oct"}');
    expect(await refusal(loadDevIssuer({ dir, env }))).toMatchObject({
      message: `${path.join(dir, 'dev-issuer.json')} does not hold an Ed25519 private key; delete it and a new one is made`,
    });
  });

  it('issues the demo staff member with every scope by default, for an hour', async () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const issuer = await loadDevIssuer({ dir, env, now: () => now });
    const verify = (token: string, at: number) => createTokenVerifier({ ...issuer.verifierOptions, now: () => new Date(now.getTime() + at * 1000) }).verify(token);
    const token = await issuer.issue({ kind: 'staff' });
    expect(await verify(token, 3599)).toEqual({ kind: 'staff', id: 'staff-0042', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scopes: ALL_SCOPES });
    expect(await refusal(verify(token, 3600))).toEqual(unauthenticated('the token has expired'));
  });

  it('refuses to issue for a malformed tax id or an unknown scope', async () => {
    const issuer = await loadDevIssuer({ dir, env });
    expect(await refusal(issuer.issue({ kind: 'citizen', taxId: '3111901221' }))).toMatchObject({ error: 'TypeError', message: 'citizen: taxId check digit does not match' });
    expect(await refusal(issuer.issue({ kind: 'staff', scopes: ['gas:write'] }))).toMatchObject({
      error: 'TypeError', message: `staff: unknown scope "gas:write" (known: ${ALL_SCOPES.join(', ')})`,
    });
  });
});
