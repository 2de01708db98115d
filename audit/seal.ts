import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The trail's secret, which the database never holds: with it a record's seal and a checkpoint's
 * signature can be made and checked; without it (a copy of the database, or write access to it)
 * neither can be forged. Separate subkeys are derived for record seals, checkpoints and the
 * key check stored in the database, so one use can never stand in for another.
 */
export interface TrailSealer {
  /** HMAC-SHA256 of a record's hash (which covers its seq and its predecessor's hash), hex. */
  seal(hash: string): string;
  isSealed(hash: string, seal: string): boolean;
  /** HMAC-SHA256 of a checkpoint's canonical text, hex. */
  signCheckpoint(checkpoint: Checkpoint): string;
  isSignedCheckpoint(checkpoint: Checkpoint, mac: string): boolean;
  /** Stored in the trail's meta table: a later start with another key fails, naming TRAIL_SEAL_KEY. */
  readonly keyCheck: string;
}

/** The head of the trail at one moment, published outside the database. */
export interface Checkpoint {
  seq: number;
  hash: string;
  /** When the checkpoint was made. */
  at: string;
}

export const MIN_SEAL_KEY = 32;

export class TrailSealKeyError extends Error {
  constructor() {
    super('TRAIL_SEAL_KEY is not the key this trail was sealed with: its seals and checkpoints could not be checked');
    this.name = 'TrailSealKeyError';
  }
}

const SALT = 'vikno access trail';
const subkey = (key: string, use: string) => Buffer.from(hkdfSync('sha256', key, SALT, use, 32));
const hex = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

function same(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The text a checkpoint's signature is taken over. */
export const checkpointText = (c: Checkpoint) => `vikno trail checkpoint 1\n${c.seq}\n${c.hash}\n${c.at}`;

export function createSealer(sealKey: string): TrailSealer {
  if (typeof sealKey !== 'string' || sealKey.length < MIN_SEAL_KEY) {
    throw new TypeError(`TRAIL_SEAL_KEY: must be at least ${MIN_SEAL_KEY} characters`);
  }
  const records = subkey(sealKey, 'record seals');
  const checkpoints = subkey(sealKey, 'checkpoints');
  const keyCheck = subkey(sealKey, 'key check').toString('base64url');
  return {
    seal: (hash) => hex(records, hash),
    isSealed: (hash, seal) => same(hex(records, hash), seal),
    signCheckpoint: (c) => hex(checkpoints, checkpointText(c)),
    isSignedCheckpoint: (c, mac) => same(hex(checkpoints, checkpointText(c)), mac),
    keyCheck,
  };
}
