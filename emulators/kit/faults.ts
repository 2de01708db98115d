import { z } from 'zod';

/**
 * The faults an emulated partner can be told to show, declared once: the type, the defaults and
 * the validation (the admin endpoint, the FAULTS variable and direct assignment all use it).
 * How each one behaves is applied in fault-controls.ts.
 */

const MAX_MS = 600_000;
const MAX_RETRY_AFTER_S = 86_400;

const say = (error: string) => ({ error });
function whole(max: number, unit: string) {
  const e = say(`must be a whole number of ${unit} from 0 to ${max}`);
  return z.int(e).min(0, e).max(max, e);
}
function share() {
  const e = say('must be a number from 0 to 1');
  return z.number(e).min(0, e).max(1, e);
}
const flag = () => z.boolean(say('must be true or false'));

const faultsSchema = z.strictObject({
  latencyMs: whole(MAX_MS, 'ms').describe('added to every answer'),
  jitterMs: whole(MAX_MS, 'ms').describe('a uniformly random extra delay from 0 to this, on top of latencyMs'),
  failRate: share().describe('share of calls answered 500'),
  down: flag().describe('every call answered 503'),
  hang: flag().describe('calls are accepted and never answered, until the client gives up or hang is switched off'),
  refuse: flag().describe('the connection is reset at once, with no HTTP answer (stands in for a refused connection)'),
  throttleRate: share().describe('share of calls answered 429 with Retry-After (1 is a burst: every call)'),
  throttleRetryAfterSeconds: whole(MAX_RETRY_AFTER_S, 'seconds').describe('the Retry-After of a throttled call'),
  malformedRate: share().describe('share of calls whose 200 answer is replaced by a garbled body of the same content type'),
}, say('must be a JSON object'));

export type Faults = z.infer<typeof faultsSchema>;

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  failRate: 0,
  down: false,
  hang: false,
  refuse: false,
  throttleRate: 0,
  throttleRetryAfterSeconds: 1,
  malformedRate: 0,
});

export const FAULT_NAMES = Object.keys(DEFAULT_FAULTS) as ReadonlyArray<keyof Faults>;

const patchSchema = faultsSchema.partial();

/** One thing wrong with a faults input; `field` is '' when the input as a whole is wrong. */
export interface FaultsProblem {
  field: string;
  message: string;
}

/** Bad faults input; the message names each field, e.g. `failRate: must be a number from 0 to 1, got 2`. */
export class FaultsError extends TypeError {
  override name = 'FaultsError';
  constructor(readonly problems: readonly FaultsProblem[]) {
    super(problems.map((p) => `${p.field || 'faults'}: ${p.message}`).join('; '));
  }
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

/** Checks a (partial) faults input: what it leaves out is not in the result. Throws FaultsError. */
export function parseFaults(input: unknown): Partial<Faults> {
  const result = patchSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw new FaultsError(result.error.issues.flatMap((issue): FaultsProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, message: `not a fault (the faults are ${FAULT_NAMES.join(', ')})` }));
    }
    return [{ field: issue.path.join('.'), message: `${issue.message}, got ${shown(issue.input)}` }];
  }));
}

/**
 * A body as broken as a partner's can be, in the answer's own content type, so the client's
 * parser (not its status handling) is what meets it: JSON and XML cut off, CSV with an open quote.
 */
export function garbledBody(contentType: string): string {
  if (/json/i.test(contentType)) return '{"unexpected":';
  if (/xml/i.test(contentType)) return '<?xml version="1.0" encoding="utf-8"?>\n<unexpected>';
  if (/csv/i.test(contentType)) return '"unexpected;\r\n';
  return '\uFFFDunexpected';
}
