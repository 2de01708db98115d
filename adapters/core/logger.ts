import { pino, type Logger, type DestinationStream } from 'pino';

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
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'vikno',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** A logger that drops everything, for code paths where no logger was handed in. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
