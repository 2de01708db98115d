import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError } from '../../platform/env.js';
import { checkSecrets, estimatedEntropyBits, secretProblems, secretWeakness, SECRET_HINT } from '../../stack/secrets.js';
import { PUBLISHED_SECRETS } from '../../stack/published-secrets.js';

/** A fresh value as `openssl rand -base64 32` makes it. */
const drawn = () => randomBytes(32).toString('base64');
const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const issuer = { AUTH_ISSUER: 'https://id.example.test', AUTH_PUBLIC_KEY: publicKey };
const strong = () => ({ ASSERTION_SECRET: drawn(), TRAIL_KEY: drawn(), TRAIL_SEAL_KEY: drawn(), CACHE_KEY_SECRET: drawn() });

const unset = (name: string, because: string, shared: string) => `${name}: not set: required ${because} (${shared}); ${SECRET_HINT}`;
const ASSERTION = 'the same in the gateway and every subgraph';
const TRAIL = 'the same in every gateway and the centre, and kept: the trail is found by it';
const SEAL = 'the same in every gateway and the centre, and kept';
const CACHE = 'the same on every replica sharing the cache';
const PROD = 'when NODE_ENV=production';
const NO_ISSUER = 'AUTH_ISSUER: not set: required when NODE_ENV=production, where the development issuer does not run; set it with AUTH_JWKS_URL or AUTH_PUBLIC_KEY';

describe('the secrets a production start needs', () => {
  it('lists every missing secret of npm start and the missing issuer, one line each, in one ConfigError', () => {
    const lines = [unset('ASSERTION_SECRET', PROD, ASSERTION), unset('TRAIL_KEY', PROD, TRAIL), unset('TRAIL_SEAL_KEY', PROD, SEAL), unset('CACHE_KEY_SECRET', PROD, CACHE), NO_ISSUER];
    expect(secretProblems({ NODE_ENV: 'production' }, 'stack')).toEqual(lines);
    expect(() => checkSecrets({ NODE_ENV: 'production' }, 'stack')).toThrow(new ConfigError(lines.join('\n')));
  });

  it('asks each kind of process for what it uses', () => {
    const env = { NODE_ENV: 'production' };
    expect(secretProblems(env, 'gateway')).toEqual([unset('ASSERTION_SECRET', PROD, ASSERTION), unset('TRAIL_KEY', PROD, TRAIL), unset('TRAIL_SEAL_KEY', PROD, SEAL), NO_ISSUER]);
    expect(secretProblems(env, 'subgraph')).toEqual([unset('ASSERTION_SECRET', PROD, ASSERTION), unset('CACHE_KEY_SECRET', PROD, CACHE)]);
    expect(secretProblems(env, 'centre')).toEqual([unset('ASSERTION_SECRET', PROD, ASSERTION)]);
    expect(secretProblems({ ...env, DATABASE_URL: 'postgres://db/vikno', REDIS_URL: 'redis://cache' }, 'centre')).toEqual([
      unset('ASSERTION_SECRET', PROD, ASSERTION), unset('TRAIL_KEY', PROD, TRAIL), unset('TRAIL_SEAL_KEY', PROD, SEAL), unset('CACHE_KEY_SECRET', 'with REDIS_URL', CACHE),
    ]);
    expect(secretProblems({ ...env, REDIS_URL: 'redis://cache' }, 'gateway')).toContain(unset('CACHE_KEY_SECRET', 'with REDIS_URL', CACHE));
  });

  it('starts with random secrets and a real issuer', () => {
    for (const kind of ['stack', 'gateway', 'subgraph', 'centre'] as const) {
      expect(secretProblems({ NODE_ENV: 'production', ...strong(), ...issuer }, kind)).toEqual([]);
    }
    expect(() => checkSecrets({ NODE_ENV: 'production', ...strong(), ...issuer }, 'stack')).not.toThrow();
  });

  it('refuses published, short, placeholder, weak and shared values, naming each variable', () => {
    // Neutral names: a value assigned to a secret's name here would be published, and refused as that.
    const [published, short, run, placeholder] = ['replace-me-with-the-output-of-openssl-rand-base64-32-A', 'x7Gq2LmP9vR4', 'k'.repeat(48), 'my-changeme-value-9f8e7d6c5b4a3f2e1d0c'];
    const env = { NODE_ENV: 'production', ...issuer, ASSERTION_SECRET: published, TRAIL_KEY: short, TRAIL_SEAL_KEY: run, CACHE_KEY_SECRET: placeholder };
    expect(secretProblems(env, 'stack')).toEqual([
      `ASSERTION_SECRET: a value published in the repository (docker-compose.yml, .env.example, README, docs or tests): ${SECRET_HINT}`,
      `TRAIL_KEY: too short (12 characters): ${SECRET_HINT}`,
      `TRAIL_SEAL_KEY: too weak: ${SECRET_HINT}`,
      `CACHE_KEY_SECRET: looks like a placeholder: ${SECRET_HINT}`,
    ]);
    const same = drawn();
    expect(secretProblems({ NODE_ENV: 'production', ...issuer, ...strong(), TRAIL_KEY: same, TRAIL_SEAL_KEY: same }, 'gateway')).toEqual([
      `TRAIL_KEY: the same value as TRAIL_SEAL_KEY: each secret must be its own; ${SECRET_HINT}`,
      `TRAIL_SEAL_KEY: the same value as TRAIL_KEY: each secret must be its own; ${SECRET_HINT}`,
    ]);
  });

  it('refuses the issuer half-configured, in any environment', () => {
    expect(secretProblems({ AUTH_ISSUER: 'https://id.example.test' }, 'gateway')).toEqual([
      unset('ASSERTION_SECRET', 'when the services run apart', ASSERTION),
      'AUTH_JWKS_URL or AUTH_PUBLIC_KEY: exactly one must be set with AUTH_ISSUER',
    ]);
  });
});

describe('secrets outside production', () => {
  it('needs nothing for npm start, which makes its secrets up per run', () => {
    expect(secretProblems({}, 'stack')).toEqual([]);
    const placeholder = 'replace-me-with-the-output-of-openssl-rand-base64-32-A';
    expect(secretProblems({ NODE_ENV: 'development', ASSERTION_SECRET: placeholder }, 'stack')).toEqual([]);
  });

  it('needs what today\'s code needs: the assertion secret run apart, the cache key with Redis, the trail key with PostgreSQL', () => {
    expect(secretProblems({}, 'subgraph')).toEqual([unset('ASSERTION_SECRET', 'when the services run apart', ASSERTION)]);
    expect(secretProblems({ REDIS_URL: 'redis://cache', DATABASE_URL: 'postgres://db/vikno' }, 'stack')).toEqual([
      unset('TRAIL_KEY', 'with DATABASE_URL', TRAIL), unset('TRAIL_SEAL_KEY', 'with DATABASE_URL', SEAL), unset('CACHE_KEY_SECRET', 'with REDIS_URL', CACHE),
    ]);
    expect(secretProblems({ TRAIL_KEY: 'short', ASSERTION_SECRET: drawn() }, 'gateway')).toEqual([`TRAIL_KEY: too short (5 characters, at least 16): ${SECRET_HINT}`]);
  });
});

describe('how strong a secret must be', () => {
  it('refuses every published value', () => {
    expect([...PUBLISHED_SECRETS].filter((value) => !secretWeakness(value)?.startsWith('a value published'))).toEqual([]);
  });

  it('accepts 32 random bytes as `openssl rand -base64 32` or `-hex 32` print them, or as base64url', () => {
    const values = Array.from({ length: 300 }, () => [drawn(), randomBytes(32).toString('hex'), randomBytes(32).toString('base64url')]).flat();
    expect(values.filter((value) => secretWeakness(value) !== undefined)).toEqual([]);
  });

  it.each([
    ['a run of one character', 'a'.repeat(64)],
    ['a short pattern repeated', 'Tr0ub4dor&3'.repeat(4)],
    ['a keyboard sequence', 'abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a sequence in steps', 'acegikmoqsuwy02468'.repeat(2)],
    ['few distinct characters', '0110100110010110'.repeat(3)],
  ])('calls %s too weak', (_what, value) => {
    expect(secretWeakness(value)).toBe('too weak');
  });

  it('counts no bits for what a guesser predicts', () => {
    expect(estimatedEntropyBits('')).toBe(0);
    expect(estimatedEntropyBits('aaaaaaaa')).toBe(0);
    // Four distinct characters, 2 bits each; c and d are steps, and so are they after the jump back to a, b.
    expect(estimatedEntropyBits('abcdabcd')).toBe(4 * 2);
  });
});
