import { createHmac, randomBytes } from 'node:crypto';

/**
 * Cache keys for personal identifiers (tax ids, VINs): an HMAC under a secret, so a shared cache
 * (Redis) holds no raw identifier and the keys cannot be reversed by hashing every possible tax id.
 * Replicas sharing a cache must share the secret (CACHE_KEY_SECRET); a single process may make one up.
 */
export type KeyedHash = (value: string) => string;

export function createKeyedHash(secret: string = randomBytes(32).toString('base64url')): KeyedHash {
  if (secret.length < 16) throw new Error('CACHE_KEY_SECRET: must be at least 16 characters');
  return (value) => createHmac('sha256', secret).update(value).digest('base64url').slice(0, 32);
}
