import { pino, type Logger, type DestinationStream } from 'pino';
import { currentRequest } from './request-context.js';

export type { Logger };

/**
 * Paths that can hold personal data or secrets. Adapters log status and latency only; this is the
 * net under that rule, so a slip never prints a tax id, a name, an address, a plate or a token.
 */
export const REDACTED_PATHS = [
  'taxId', '*.taxId', 'taxIds', '*.taxIds', 'name', '*.name', 'fullName', '*.fullName', 'address', '*.address',
  'plate', '*.plate', 'vin', '*.vin', 'body', '*.body', 'variables', '*.variables',
  'authorization', '*.authorization', 'headers', '*.headers', 'token', '*.token', 'apiKey', '*.apiKey',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; tests hand in a stream to read what was logged. */
  destination?: DestinationStream;
  /** The service writing the lines (gateway, subgraph name …). */
  service?: string;
}

/** Loggers whose bindings already name a request (a subgraph's per-request child): the mixin leaves their lines alone. */
const boundToRequest = new WeakMap<Logger, boolean>();

/**
 * The id of the request being served, on every line written while it runs, in every process
 * (platform/request-context.ts): partner calls, retries and errors included, without passing it on.
 */
function requestIdMixin(mergeObject: object, _level: number, logger: Logger): object {
  const scope = currentRequest();
  if (!scope || 'requestId' in mergeObject) return {};
  let bound = boundToRequest.get(logger);
  if (bound === undefined) boundToRequest.set(logger, (bound = 'requestId' in logger.bindings()));
  return bound ? {} : { requestId: scope.requestId };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Not pino's `name`: a top-level `name` is redacted as a person's name.
      base: { service: options.service ?? 'vikno' },
      mixin: requestIdMixin,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** A logger whose lines name the partner: `log` itself when its bindings already do (no key written twice on a line). */
export function partnerLogger(log: Logger, partnerId: string): Logger {
  return log.bindings().partner === partnerId ? log : log.child({ partner: partnerId });
}

/** A logger that drops everything, for code paths where no logger was handed in. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
