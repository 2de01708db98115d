/**
 * The text a staff member supplies about a look-up: their purpose (X-Purpose) and, through their
 * token, their name and centre. The character rules are the domain's (domain/text.ts), shared with
 * the emulated registries; what is the gateway's own is reading the header.
 */
import { BadUserInputError } from '../domain/errors.js';
import { checkText, decodeHeaderText, TextError } from '../domain/text.js';

export { checkText, MAX_TEXT, TextError } from '../domain/text.js';

const PURPOSE_HEADER = 'X-Purpose header';

/**
 * The purpose a staff member states, from the X-Purpose header: undefined when absent or blank,
 * otherwise percent-decoded exactly once and checked as text, so what the trail stores is what the
 * registries are sent. BAD_USER_INPUT, naming the header and never the value, when it is sent more
 * than once (pass `req.headersDistinct['x-purpose']` to see that: `req.headers` joins repeats with
 * ", "), sent raw instead of percent-encoded, encoded wrongly, or breaks a text rule.
 */
export function parsePurposeHeader(header: string | string[] | undefined): string | undefined {
  if (Array.isArray(header) && header.length > 1) throw new BadUserInputError(`${PURPOSE_HEADER}: must be sent once`);
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || /^[ \t]*$/.test(raw)) return undefined;
  return checkPurpose(() => decodeHeaderText(raw, PURPOSE_HEADER), PURPOSE_HEADER);
}

/**
 * A purpose as checked text, wherever it is stated (the header, an issuance's `purpose`
 * argument): BAD_USER_INPUT naming `what`, never the value, when it breaks a text rule.
 */
export function checkPurpose(value: string | (() => string), what: string): string {
  try {
    return checkText(typeof value === 'function' ? value() : value, what);
  } catch (error) {
    if (error instanceof TextError) throw new BadUserInputError(error.message, { cause: error });
    throw error;
  }
}
