import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of values kept in a shared cache (Redis): AES-256-GCM with a random
 * 96-bit IV per value, under a key derived from CACHE_KEY_SECRET with HKDF-SHA256. Each value is
 * bound to where it is stored (`context`: its namespace and key), so a value copied under another
 * person's key fails to open just as a changed one, or one sealed under another secret, does.
 */
export interface ValueSeal {
  seal(context: string, plaintext: string): string;
  /** The plaintext, or undefined when the value does not authenticate (never throws). */
  open(context: string, sealed: string): string | undefined;
}

/** Changing it (or the format) makes every cached value a miss, which a cache can afford. */
const INFO = 'vikno cache values v1';
const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createValueSeal(secret: string): ValueSeal {
  if (typeof secret !== 'string' || secret.length < 16) throw new TypeError('CACHE_KEY_SECRET: must be at least 16 characters');
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));
  return {
    seal(context, plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES }).setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return VERSION + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(context, sealed) {
      if (typeof sealed !== 'string' || !sealed.startsWith(VERSION)) return undefined;
      const bytes = Buffer.from(sealed.slice(VERSION.length), 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES })
          .setAAD(Buffer.from(context, 'utf8'))
          .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
