import { fail, pass, type Session } from './session.js';

/** Values too short to tell apart from latencies and counters are not looked for. */
const MIN_LENGTH = 5;

function hasBodyField(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, inner]) => key === 'body' || hasBodyField(inner));
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Both as written and as JSON escapes it (quotes, backslashes). */
function occursIn(text: string, value: string): boolean {
  return text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1));
}

function sensitive(s: Session): Array<{ value: string; kind: string }> {
  const taxIds = [...s.keys.customers, s.keys.stranger].map((value) => ({ value, kind: 'a tax id' }));
  const seen = [...s.personal].map((value) => ({ value, kind: `personal data or an identifier seen in a mapped ${s.probe.noun}` }));
  const secrets = s.credentials.map((value) => ({ value, kind: 'a credential' }));
  return [...secrets, ...taxIds, ...seen].filter(({ value }) => value.length >= MIN_LENGTH);
}

/**
 * Check 5: after every other check, no line the adapter logged (at any level) holds a tax id used
 * or a value seen in the mapped data (address, holder name, plate, VIN, account number), and no
 * line has a `body` field.
 */
export function checkLogs(s: Session): void {
  const name = 'logs: no credential, tax id, address, name, account or meter number, EIC, plate, VIN or cadastral number, and no body field, in any line';
  const values = sensitive(s);
  const findings = new Set<string>();
  for (const line of s.log.lines) {
    const parsed = parse(line) as { msg?: unknown } | undefined;
    const msg = typeof parsed?.msg === 'string' ? `"${parsed.msg}"` : 'a line';
    for (const { value, kind } of values) if (occursIn(line, value)) findings.add(`${msg} holds ${kind}`);
    if (hasBodyField(parsed)) findings.add(`${msg} has a body field`);
  }
  const got = [...findings];
  s.add(got.length === 0 ? pass(name) : fail(name, `none in ${s.log.lines.length} lines`, got.join('; ')));
}

/** Error messages reach clients: none may hold a tax id or a value seen in the mapped data. */
export function checkErrorMessages(s: Session): void {
  const name = 'errors: messages hold no credential, tax id, identifier or other personal data';
  const values = sensitive(s);
  const findings = new Set<string>();
  for (const error of s.errors) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    for (const { value, kind } of values) if (occursIn(message, value)) findings.add(`a ${String(code ?? 'plain')} error's message holds ${kind}`);
  }
  const got = [...findings];
  s.add(got.length === 0 ? pass(name) : fail(name, `none in ${s.errors.length} errors`, got.join('; ')));
}
