/**
 * Free text that crosses a trust boundary: a staff member's stated purpose, name and centre. It is
 * stored in the access trail, shown in the citizen's log and sent to the state registries, so it
 * must read the same everywhere and hide nothing: characters that are invisible or that reorder
 * what is shown (controls, zero-width and bidirectional formatting) are refused, never stripped,
 * since stripping would make the stored text differ from what was sent.
 *
 * The rules live in the domain because both sides of the wire apply them: the gateway and identity
 * (identity/text.ts) and the registries' emulated security server (emulators/kit/x-road.ts), which
 * may not import production code beyond the domain. Reasons name the rule, never the value.
 */

export const MAX_TEXT = 100;

/** Thrown when text breaks a rule; `what` names the field, `rule` the rule, and neither holds the value. */
export class TextError extends TypeError {
  constructor(readonly what: string, readonly rule: string) {
    super(`${what}: ${rule}`);
    this.name = 'TextError';
  }
}

export const TEXT_RULES = Object.freeze({
  invisible: 'must not contain control, format or bidirectional characters',
  notText: 'must not contain unpaired surrogates, private-use or unassigned characters',
  rawNonAscii: 'must be visible ASCII, with any other character percent-encoded as UTF-8',
  badEncoding: 'must be percent-encoded UTF-8: every % followed by two hex digits that spell valid UTF-8',
});

// Cc: controls (CR, LF, TAB…); Cf: zero-width characters, BOM, soft hyphen, bidi embeddings,
// overrides and isolates; Zl/Zp: line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
// Cs: a lone surrogate; Co: private use (no agreed glyph); Cn: unassigned, or a noncharacter.
const NOT_TEXT = /[\p{Cs}\p{Co}\p{Cn}]/u;
const EDGE_SPACES = /^\p{Zs}+|\p{Zs}+$/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/gu;
const VISIBLE_ASCII = /^[\x20-\x7e]*$/;

/** The character rule `value` breaks, or null: for a receiver that keeps the text exactly as sent. */
export function characterProblem(value: string): string | null {
  if (INVISIBLE.test(value)) return TEXT_RULES.invisible;
  if (NOT_TEXT.test(value)) return TEXT_RULES.notText;
  return null;
}

/**
 * The text in NFC with the spaces at both ends trimmed, or a TextError: for a character rule
 * broken, fewer than `minVisible` letters or digits, or more than `max` code points.
 */
export function checkText(value: string, what: string, { minVisible = 2, max = MAX_TEXT } = {}): string {
  const text = value.normalize('NFC');
  const problem = characterProblem(text);
  if (problem) throw new TextError(what, problem);
  const trimmed = text.replace(EDGE_SPACES, '');
  if ((trimmed.match(LETTER_OR_DIGIT)?.length ?? 0) < minVisible) {
    throw new TextError(what, `must contain at least ${minVisible} letters or digits`);
  }
  if ([...trimmed].length > max) throw new TextError(what, `must be at most ${max} characters`);
  return trimmed;
}

/**
 * An HTTP header value percent-decoded exactly once as UTF-8. Node hands header bytes over as
 * Latin-1, so anything but visible ASCII was sent raw instead of encoded and is refused, as is a
 * `%` that does not start a valid UTF-8 sequence (overlong forms and surrogates included).
 */
export function decodeHeaderText(raw: string, what: string): string {
  if (!VISIBLE_ASCII.test(raw)) throw new TextError(what, TEXT_RULES.rawNonAscii);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new TextError(what, TEXT_RULES.badEncoding);
  }
}
