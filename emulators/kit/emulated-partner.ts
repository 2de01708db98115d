import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { PartnerEntry } from '../../domain/memorandum.js';
import type { Population } from '../population/population.js';
import type { EmulatorFactory } from './emulator.js';
import { listen } from './serve.js';

/** One emulated partner on a free loopback port, with the credentials made up for this run. */
export interface EmulatedPartner {
  url: string;
  /** The generated credentials, by the environment variable names the memorandum entry gives. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface EmulatedPartnerOptions {
  entry: PartnerEntry;
  factory: EmulatorFactory;
  population: Population;
  clock: Clock;
  host?: string;
}

/**
 * Starts a partner's emulator as the embedded default does (stack/start-stack.ts): secrets are
 * generated for this run only, the emulator accepts them and the adapter reads them from `env`.
 */
export async function startEmulatedPartner(options: EmulatedPartnerOptions): Promise<EmulatedPartner> {
  const names = Object.entries(options.entry.connection.credentials);
  const env = Object.fromEntries(names.map(([, variable]) => [variable, randomBytes(18).toString('base64url')]));
  const credentials = Object.fromEntries(names.map(([name, variable]) => [name, env[variable]]));
  const emulator = options.factory({ population: options.population, credentials, clock: options.clock });
  const server = await listen(emulator.app, { host: options.host ?? '127.0.0.1' });
  return { url: server.url, env, close: server.close };
}
