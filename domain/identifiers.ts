/**
 * Ukrainian identifiers and their check algorithms: РНОКПП, ЄДРПОУ, EIC, cadastral numbers, VINs, plates.
 * Each `check*` returns null when the value is valid, or a short reason that names no value,
 * so the reason can go to a client or a log without leaking personal data.
 */

const RNOKPP_WEIGHTS = [-1, 5, 7, 9, 4, 6, 10, 5, 7];

/** Check digit of a 10-digit РНОКПП (individual taxpayer number) from its first nine digits. */
export function rnokppCheckDigit(firstNine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += RNOKPP_WEIGHTS[i] * Number(firstNine[i]);
  return (((sum % 11) + 11) % 11) % 10;
}

export function checkRnokpp(value: string): string | null {
  if (!/^\d+$/.test(value)) return 'must contain digits only';
  if (value.length !== 10) return 'must be exactly 10 digits';
  if (rnokppCheckDigit(value) !== Number(value[9])) return 'check digit does not match';
  return null;
}

const EPOCH_1899_12_31 = Date.UTC(1899, 11, 31);
const DAY_MS = 86_400_000;

/** Birth date (YYYY-MM-DD) and sex encoded in a valid РНОКПП. */
export function decodeRnokpp(value: string): { birthDate: string; sex: 'MALE' | 'FEMALE' } {
  const days = Number(value.slice(0, 5));
  const birthDate = new Date(EPOCH_1899_12_31 + days * DAY_MS).toISOString().slice(0, 10);
  return { birthDate, sex: Number(value[8]) % 2 === 1 ? 'MALE' : 'FEMALE' };
}

/** Builds a valid РНОКПП from a birth date, a 3-digit serial and the sex digit's parity. */
export function encodeRnokpp(birthDate: string, serial: number, sex: 'MALE' | 'FEMALE'): string {
  const days = Math.round((Date.parse(`${birthDate}T00:00:00Z`) - EPOCH_1899_12_31) / DAY_MS);
  const serialDigits = String(serial % 1000).padStart(3, '0');
  const sexDigit = sex === 'MALE' ? 1 + 2 * (serial % 5) : 2 * (serial % 5);
  const firstNine = `${String(days).padStart(5, '0')}${serialDigits}${sexDigit}`;
  return `${firstNine}${rnokppCheckDigit(firstNine)}`;
}

/** ЄДРПОУ (legal entity code): 8 digits with the two-pass weighted check digit. */
export function checkEdrpou(value: string): string | null {
  if (!/^\d{8}$/.test(value)) return 'must be exactly 8 digits';
  const d = [...value].map(Number);
  const base = d[0] >= 3 && d[0] <= 5 ? [7, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7];
  const weighted = (extra: number) => base.reduce((s, w, i) => s + (w + extra) * d[i], 0) % 11;
  let check = weighted(0);
  if (check >= 10) check = weighted(2) % 10;
  return check === d[7] ? null : 'check digit does not match';
}

const EIC_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-';

/** Check character of an EIC (energy identification code) from its first fifteen characters. */
export function eicCheckChar(firstFifteen: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += (16 - i) * EIC_ALPHABET.indexOf(firstFifteen[i]);
  return EIC_ALPHABET[36 - ((sum - 1) % 37)];
}

export function checkEic(value: string): string | null {
  if (!/^[0-9A-Z-]{16}$/.test(value)) return 'must be 16 characters from 0-9, A-Z and -';
  if (value[15] === '-' || eicCheckChar(value) !== value[15]) return 'check character does not match';
  return null;
}

export function checkCadastralNumber(value: string): string | null {
  return /^\d{10}:\d{2}:\d{3}:\d{4}$/.test(value) ? null : 'must look like KOATUU:zone:quarter:parcel (10:2:3:4 digits)';
}

const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The North American check character (position 9) a VIN should carry. */
export function vinCheckChar(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i];
    sum += VIN_WEIGHTS[i] * (/\d/.test(c) ? Number(c) : VIN_VALUES[c]);
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export function checkVin(value: string): string | null {
  return /^[A-HJ-NPR-Z0-9]{17}$/.test(value) ? null : 'must be 17 characters without I, O or Q';
}

/** European VINs often carry a filler at position 9, so a mismatch is a warning, never a rejection. */
export function vinCheckDigitMatches(vin: string): boolean {
  return vinCheckChar(vin) === vin[8];
}

const CYRILLIC_TO_LATIN: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', І: 'I', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X',
};
const LATIN_TO_CYRILLIC = Object.fromEntries(Object.entries(CYRILLIC_TO_LATIN).map(([c, l]) => [l, c]));

/** Normalises a plate in either script to Latin capitals (`AE1234KX`), or null if it is not a plate. */
export function normalizePlate(value: string): string | null {
  const latin = [...value.toUpperCase().replace(/[\s-]/g, '')].map((c) => CYRILLIC_TO_LATIN[c] ?? c).join('');
  return /^[ABCEHIKMOPTX]{2}\d{4}[ABCEHIKMOPTX]{2}$/.test(latin) ? latin : null;
}

export function plateToCyrillic(latinPlate: string): string {
  return [...latinPlate].map((c) => LATIN_TO_CYRILLIC[c] ?? c).join('');
}
