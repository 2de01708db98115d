/**
 * The secrets a process needs, checked before it opens or listens on anything. In production
 * (NODE_ENV=production) every secret the process needs must be set, must not be a value published
 * in this repository, and must look random; the development issuer is refused there too. Outside
 * production only what the process cannot do without is required (the embedded default makes up
 * the rest per run). Every problem is one line naming the variable, and all are reported at once.
 */
import { ConfigError } from '../platform/env.js';
import { issuerFromEnv } from './auth-env.js';
import { PUBLISHED_SECRETS } from './published-secrets.js';

export type SecretName = 'ASSERTION_SECRET' | 'TRAIL_KEY' | 'TRAIL_SEAL_KEY' | 'CACHE_KEY_SECRET';

/** What starts from the environment: `npm start` (the embedded default), the gateway, a domain subgraph, the centre. */
export type ProcessKind = 'stack' | 'gateway' | 'subgraph' | 'centre';

type Env = Readonly<Record<string, string | undefined>>;

export const MIN_SECRET_LENGTH = 32;
export const MIN_SECRET_BITS = 128;
export const SECRET_HINT = 'use 32+ random characters, e.g. `openssl rand -base64 32`';

const IN_PRODUCTION = 'when NODE_ENV=production';

/** The processes that open the access trail: the gateways, `npm start`, and the centre with DATABASE_URL. */
const opensTrail = (kind: ProcessKind, env: Env) => kind === 'stack' || kind === 'gateway' || (kind === 'centre' && Boolean(env.DATABASE_URL));
/** The processes that cache partners' records about people. */
const cachesRecords = (kind: ProcessKind) => kind === 'stack' || kind === 'subgraph';

interface SecretRule {
  /** Who must hold the same value. */
  shared: string;
  /** The shortest value the code that uses it accepts (production asks more of every secret). */
  minLength: number;
  /** Why `kind` cannot start without it here; undefined when it may be left unset. */
  requiredBecause(kind: ProcessKind, env: Env, production: boolean): string | undefined;
}

export const SECRETS: Readonly<Record<SecretName, SecretRule>> = {
  ASSERTION_SECRET: {
    shared: 'the same in the gateway and every subgraph',
    minLength: 32,
    requiredBecause: (kind, _env, production) => (production ? IN_PRODUCTION : kind === 'stack' ? undefined : 'when the services run apart'),
  },
  TRAIL_KEY: {
    shared: 'the same in every gateway and the centre, and kept: the trail is found by it',
    minLength: 16,
    requiredBecause: (kind, env, production) =>
      (!opensTrail(kind, env) ? undefined : production ? IN_PRODUCTION : env.DATABASE_URL ? 'with DATABASE_URL' : undefined),
  },
  TRAIL_SEAL_KEY: {
    shared: 'the same in every gateway and the centre, and kept',
    minLength: 32,
    requiredBecause: (kind, env, production) =>
      (!opensTrail(kind, env) ? undefined : production ? IN_PRODUCTION : env.DATABASE_URL ? 'with DATABASE_URL' : undefined),
  },
  CACHE_KEY_SECRET: {
    shared: 'the same on every replica sharing the cache',
    minLength: 16,
    requiredBecause: (kind, env, production) => (env.REDIS_URL ? 'with REDIS_URL' : production && cachesRecords(kind) ? IN_PRODUCTION : undefined),
  },
};

export const SECRET_NAMES = Object.keys(SECRETS) as SecretName[];

/** Lower-case letters only; a secret containing one of these was typed by a person, not drawn. */
const PLACEHOLDER_WORDS = ['changeme', 'replaceme', 'placeholder', 'example', 'secret', 'password', 'insecure', 'default'];

/**
 * A rough, conservative estimate of a value's entropy in bits: Shannon entropy per character times
 * the number of characters a guesser could not predict. Repeats of the previous character, steps
 * of a sequence (`abcd`, `9753`) and three-character chunks seen earlier (the second `changeme` in
 * `changemechangeme`) count for nothing.
 */
export function estimatedEntropyBits(value: string): number {
  const chars = [...value];
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / chars.length) * Math.log2(n / chars.length);
  const code = (i: number) => chars[i].codePointAt(0)!;
  const seen = new Set<string>();
  let unpredictable = 0;
  for (let i = 0; i < chars.length; i++) {
    const chunk = i >= 2 ? chars.slice(i - 2, i + 1).join('') : undefined;
    const predictable = (i >= 1 && code(i) === code(i - 1))
      || (i >= 2 && code(i) - code(i - 1) === code(i - 1) - code(i - 2))
      || (chunk !== undefined && seen.has(chunk));
    if (chunk !== undefined) seen.add(chunk);
    if (!predictable) unpredictable += 1;
  }
  return perChar * unpredictable;
}

/** Why `value` may not be a production secret, or undefined when it may. */
export function secretWeakness(value: string): string | undefined {
  if (PUBLISHED_SECRETS.has(value.trim())) return 'a value published in the repository (docker-compose.yml, .env.example, README, docs or tests)';
  if ([...value].length < MIN_SECRET_LENGTH) return `too short (${[...value].length} characters)`;
  const letters = value.toLowerCase().replace(/[^a-z]/g, '');
  if (PLACEHOLDER_WORDS.some((word) => letters.includes(word))) return 'looks like a placeholder';
  if (estimatedEntropyBits(value) < MIN_SECRET_BITS) return 'too weak';
  return undefined;
}

/** Every problem with the secrets and the token issuer `kind` would start with, one line each. */
export function secretProblems(env: Env, kind: ProcessKind): string[] {
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  for (const name of SECRET_NAMES) {
    const rule = SECRETS[name];
    const value = env[name] || undefined;
    if (value === undefined) {
      const because = rule.requiredBecause(kind, env, production);
      if (because) problems.push(`${name}: not set: required ${because} (${rule.shared}); ${SECRET_HINT}`);
      continue;
    }
    const weakness = production ? secretWeakness(value) : [...value].length < rule.minLength ? `too short (${[...value].length} characters, at least ${rule.minLength})` : undefined;
    if (weakness) {
      problems.push(`${name}: ${weakness}: ${SECRET_HINT}`);
      continue;
    }
    const twin = production ? SECRET_NAMES.find((other) => other !== name && env[other] === value) : undefined;
    if (twin) problems.push(`${name}: the same value as ${twin}: each secret must be its own; ${SECRET_HINT}`);
  }
  if (kind === 'stack' || kind === 'gateway') {
    try {
      if (!issuerFromEnv(env as NodeJS.ProcessEnv) && production) {
        problems.push('AUTH_ISSUER: not set: required when NODE_ENV=production, where the development issuer does not run; set it with AUTH_JWKS_URL or AUTH_PUBLIC_KEY');
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
}

/** Throws a ConfigError listing every problem secretProblems finds (one line each). */
export function checkSecrets(env: Env, kind: ProcessKind): void {
  const problems = secretProblems(env, kind);
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}
