/**
 * The РНОКПП as the pages check it while it is typed: the algorithm is the server's own
 * (domain/identifiers.ts, compiled for the browser as it is), the messages are for people.
 */
import { decodeRnokpp, rnokppCheckDigit } from '../../domain/identifiers.js';

export type TaxIdCheck =
  | { ok: true; birthDate: string; sex: 'MALE' | 'FEMALE' }
  | { ok: false; message: string; complete: boolean };

/**
 * Whether the text is a valid РНОКПП, and if not, why in Ukrainian. `complete` is false while the
 * number is still being typed (digits only, fewer than ten): the page says nothing rude then.
 */
export function checkTaxId(text: string): TaxIdCheck {
  const value = text.trim();
  if (value === '') return { ok: false, message: 'Введіть РНОКПП: 10 цифр.', complete: false };
  if (!/^\d+$/.test(value)) return { ok: false, message: 'РНОКПП складається лише з цифр.', complete: true };
  if (value.length < 10) return { ok: false, message: `РНОКПП має 10 цифр, введено ${value.length}.`, complete: false };
  if (value.length > 10) return { ok: false, message: `РНОКПП має 10 цифр, введено ${value.length}.`, complete: true };
  if (rnokppCheckDigit(value) !== Number(value[9])) {
    return { ok: false, message: 'Контрольна цифра не збігається: перевірте номер.', complete: true };
  }
  return { ok: true, ...decodeRnokpp(value) };
}

export const SEX_LABEL: Readonly<Record<'MALE' | 'FEMALE', string>> = { MALE: 'чоловіча', FEMALE: 'жіноча' };
