import { Writable } from 'node:stream';
import type { AnyAdapterDefinition } from '../core/define-adapter.js';
import type { Clock } from '../../platform/clock.js';
import { createLogger, type Logger } from '../../platform/logger.js';
import type { PartnerEntry } from '../../domain/memorandum.js';
import { createMemoryStore } from '../../platform/store.js';
import { createPartners, type Partner } from '../core/partners.js';

/** Every line the adapters under check logged, kept in memory for the "nothing personal" check. */
export interface CapturedLog {
  logger: Logger;
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // Every level: nothing an adapter logs may hold personal data, not even at trace.
  return { logger: createLogger({ level: 'trace', destination, service: 'partner-check' }), lines };
}

export interface BuildOptions {
  entry: PartnerEntry;
  adapter: AnyAdapterDefinition;
  /** Where the adapter is pointed: the fault proxy. */
  baseUrl: string;
  timeoutMs: number;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  clock: Clock;
}

/**
 * Builds the adapter under check through the real core, as the subgraphs get it: a one-entry
 * memorandum pointed at the proxy, and a cache store of its own so caching hides no fault.
 * A configuration mistake (a credential variable not set…) throws MemorandumError.
 */
export function buildPartner(options: BuildOptions): Partner {
  const { entry } = options;
  const memorandum = {
    partners: [{ ...entry, enabled: true, connection: { ...entry.connection, baseUrl: options.baseUrl, timeoutMs: options.timeoutMs } }],
  };
  const [partner] = createPartners({
    memorandum,
    adapters: { [entry.adapter]: options.adapter },
    env: options.env,
    log: options.log,
    clock: options.clock,
    store: createMemoryStore(),
  });
  return partner;
}
