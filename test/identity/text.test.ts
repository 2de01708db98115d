import { checkText, MAX_TEXT, parsePurposeHeader, TextError } from '../../identity/text.js';

/** What a caller learns from a refusal: the class, the catalogue code (if any), the message, the cause's class. */
function refusal(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    const e = error as Error & { code?: string };
    return { error: e.constructor.name, code: e.code, message: e.message, cause: (e.cause as Error | undefined)?.constructor.name };
  }
  throw new Error('expected a refusal');
}

const INVISIBLE = 'must not contain control, format or bidirectional characters';
const NOT_TEXT = 'must not contain unpaired surrogates, private-use or unassigned characters';
const TOO_FEW = 'must contain at least 2 letters or digits';
const RAW = 'must be visible ASCII, with any other character percent-encoded as UTF-8';
const BAD_ENCODING = 'must be percent-encoded UTF-8: every % followed by two hex digits that spell valid UTF-8';

const textError = (rule: string) => ({ error: 'TextError', code: undefined, message: `purpose: ${rule}`, cause: undefined });
const badHeader = (rule: string) => ({ error: 'BadUserInputError', code: 'BAD_USER_INPUT', message: `X-Purpose header: ${rule}`, cause: 'TextError' });

describe('checkText', () => {
  it.each([
    ['a zero-width space alone', '\u200B'],
    ['a zero-width joiner inside', 'A\u200D17'],
    ['a right-to-left override (U+202E)', 'A-17\u202E71-A'],
    ['a left-to-right isolate (U+2066)', '\u2066A-17\u2069'],
    ['a byte order mark in front, which trim() would quietly drop', '\uFEFFA-17'],
    ['a soft hyphen', 'A\u00AD17'],
    ['a raw CR/LF', 'A-17\r\nX-Injected: 1'],
    ['a tab', 'A\t17'],
    ['a NUL', 'A-17\u0000'],
    ['a line separator (U+2028)', 'A-17\u2028B'],
    ['a paragraph separator (U+2029)', 'A-17\u2029B'],
  ])('refuses %s rather than stripping it', (_, value) => {
    expect(refusal(() => checkText(value, 'purpose'))).toEqual(textError(INVISIBLE));
  });

  it.each([
    ['a lone surrogate', 'A-17\uD800'],
    ['a private-use character (U+E000)', 'A-17\uE000'],
    ['an unassigned code point (U+0378)', 'A-17\u0378'],
    ['a noncharacter (U+FFFF)', 'A-17\uFFFF'],
  ])('refuses %s', (_, value) => {
    expect(refusal(() => checkText(value, 'purpose'))).toEqual(textError(NOT_TEXT));
  });

  it.each([
    ['nothing', ''],
    ['whitespace only', ' \u00A0\u3000 '],
    ['one letter only', 'A'],
    ['one letter among punctuation', '-- A --'],
  ])('refuses %s as fewer than 2 letters or digits', (_, value) => {
    expect(refusal(() => checkText(value, 'purpose'))).toEqual(textError(TOO_FEW));
  });

  it('refuses 101 characters and accepts 100, counting code points rather than UTF-16 units', () => {
    expect(MAX_TEXT).toBe(100);
    expect(refusal(() => checkText('A'.repeat(101), 'purpose'))).toEqual(textError('must be at most 100 characters'));
    expect(checkText('A'.repeat(100), 'purpose')).toBe('A'.repeat(100));
    expect(checkText('\u{1D400}'.repeat(100), 'purpose')).toBe('\u{1D400}'.repeat(100));
  });

  it('normalises to NFC: и + combining breve becomes й', () => {
    expect(checkText('Таи\u0306 17', 'purpose')).toBe('Тай 17');
  });

  it('trims spaces of any kind at both ends and leaves the inside as it is', () => {
    expect(checkText('\u3000 Талон  А-017\u00A0', 'purpose')).toBe('Талон  А-017');
  });

  it.each(['Талон А-017', 'A-17', 'case 2026/11/29-0042', '%0d%0a', '50% знижки'])('accepts %s as it is', (value) => {
    expect(checkText(value, 'purpose')).toBe(value);
  });

  it('takes its own minimum of letters and digits and its own maximum', () => {
    expect(checkText('7', 'code', { minVisible: 1, max: 3 })).toBe('7');
    expect(refusal(() => checkText('1234', 'code', { minVisible: 1, max: 3 }))).toEqual({
      error: 'TextError', code: undefined, message: 'code: must be at most 3 characters', cause: undefined,
    });
  });

  it('is a TypeError that names the field and the rule and keeps them apart', () => {
    const error = new TextError('purpose', INVISIBLE);
    expect({ isTypeError: error instanceof TypeError, name: error.name, what: error.what, rule: error.rule }).toEqual({
      isTypeError: true, name: 'TextError', what: 'purpose', rule: INVISIBLE,
    });
  });
});

describe('parsePurposeHeader', () => {
  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '  '],
    ['an empty list of values', []],
  ])('gives no purpose when the header is %s', (_, header) => {
    expect(parsePurposeHeader(header)).toBeUndefined();
  });

  it.each([
    ['plain ASCII', 'A-17', 'A-17'],
    ['ASCII with spaces and slashes', 'case 2026/11/29-0042', 'case 2026/11/29-0042'],
    ['Cyrillic, percent-encoded', encodeURIComponent('Талон А-017'), 'Талон А-017'],
    ['a percent sign, encoded', '50%25%20%D0%B7%D0%BD%D0%B8%D0%B6%D0%BA%D0%B8', '50% знижки'],
    ['an encoded CR/LF, encoded again: decoded once, it is visible text', '%250d%250a', '%0d%0a'],
    ['NFD, encoded', encodeURIComponent('Таи\u0306 17'), 'Тай 17'],
    ['padded with encoded spaces', '%20A-17%20', 'A-17'],
    ['given once through headersDistinct', ['A-17'], 'A-17'],
  ])('reads %s', (_, header, purpose) => {
    expect(parsePurposeHeader(header)).toBe(purpose);
  });

  it.each([
    ['CR/LF, encoded', 'A-17%0d%0aX-Injected: 1'],
    ['CR/LF, encoded in capitals', '%0D%0A'],
    ['a zero-width space, encoded', '%E2%80%8B'],
    ['a zero-width joiner inside, encoded', 'A%E2%80%8D17'],
    ['U+202E, encoded', 'A-17%E2%80%AE'],
    ['U+2066, encoded', '%E2%81%A6A-17'],
    ['a byte order mark, encoded', '%EF%BB%BFA-17'],
    ['a soft hyphen, encoded', 'A%C2%AD17'],
  ])('refuses %s', (_, header) => {
    expect(refusal(() => parsePurposeHeader(header))).toEqual(badHeader(INVISIBLE));
  });

  it.each([
    ['an overlong encoding of "."', 'A-17%C0%AE'],
    ['a byte that is never UTF-8', 'A-17%FF'],
    ['an encoded lone surrogate', 'A-17%ED%A0%80'],
    ['a code point beyond U+10FFFF', 'A-17%F4%90%80%80'],
    ['a % at the end', '50%'],
    ['a % not followed by hex digits', '50%zz'],
    ['a truncated sequence', 'A-17%D0'],
  ])('refuses %s as a malformed encoding', (_, header) => {
    expect(refusal(() => parsePurposeHeader(header))).toEqual(badHeader(BAD_ENCODING));
  });

  it.each([
    ['raw UTF-8 Cyrillic, as Node hands it over (Latin-1)', Buffer.from('Талон А-017', 'utf8').toString('latin1')],
    ['a raw Latin-1 letter', 'Caf\u00e9-17'],
    ['a raw tab inside', 'A\t17'],
  ])('refuses %s: clients must percent-encode', (_, header) => {
    expect(refusal(() => parsePurposeHeader(header))).toEqual(badHeader(RAW));
  });

  it('refuses a private-use character, encoded', () => {
    expect(refusal(() => parsePurposeHeader('A-17%EE%80%80'))).toEqual(badHeader(NOT_TEXT));
  });

  it('refuses encoded spaces only, one letter only, and 101 characters', () => {
    expect([
      refusal(() => parsePurposeHeader('%20%20')),
      refusal(() => parsePurposeHeader('A')),
      refusal(() => parsePurposeHeader('A'.repeat(101))),
    ]).toEqual([badHeader(TOO_FEW), badHeader(TOO_FEW), badHeader('must be at most 100 characters')]);
  });

  it('refuses the header sent twice', () => {
    expect(refusal(() => parsePurposeHeader(['A-17', 'B-18']))).toEqual({
      error: 'BadUserInputError', code: 'BAD_USER_INPUT', message: 'X-Purpose header: must be sent once', cause: undefined,
    });
  });
});
