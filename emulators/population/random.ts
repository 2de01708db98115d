import { createHash } from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same seed always gives the same sequence. */
export interface Rng {
  /** In [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** Digits as a string of the given length. */
  digits(length: number): string;
}

export function createRng(...seedParts: Array<string | number>): Rng {
  let state = createHash('sha256').update(seedParts.join('\u0000')).digest().readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    digits: (length) => Array.from({ length }, () => int(0, 9)).join(''),
  };
}
