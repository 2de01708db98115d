/**
 * One emulated partner alone: `EMULATOR=<partner id> npm run start:emulator`. Its port defaults to
 * the one in the memorandum's baseUrl; the credentials it accepts come from the environment
 * variables the memorandum names for that partner. `FAULTS` (JSON, e.g. `{"latencyMs":200}`) sets
 * the faults it starts with; its loopback admin endpoint changes them at run time.
 */
import { systemClock } from '../platform/clock.js';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum } from '../domain/memorandum.js';
import { createPopulation } from './population/index.js';
import { EMULATORS } from './registry.js';
import { listen } from './kit/serve.js';
import { ADMIN_PATH } from './kit/admin.js';
import { ConfigError, envInt, envString, shutdownDrainMs, stopOnSignals } from '../platform/env.js';
import { envFaults } from './kit/faults-env.js';

try {
  const id = envString(process.env, 'EMULATOR', '');
  const memorandum = await loadMemorandum(envString(process.env, 'MEMORANDUM', DEFAULT_MEMORANDUM_FILE));
  const entry = memorandum.partners.find((p) => p.id === id);
  const factory = EMULATORS[id];
  if (!entry || !factory) throw new ConfigError(`EMULATOR: must be one of ${Object.keys(EMULATORS).join(', ')}, got "${id}"`);
  const credentials = Object.fromEntries(
    Object.entries(entry.connection.credentials).map(([name, variable]) => {
      const value = process.env[variable];
      if (!value) throw new ConfigError(`${variable}: not set (the ${name} the emulated ${id} accepts)`);
      return [name, value];
    }),
  );
  const faults = envFaults(process.env);
  const population = createPopulation({
    seed: envString(process.env, 'SEED', 'vikno'),
    size: envInt(process.env, 'POPULATION_SIZE', 10_000, 2, 1_000_000),
    asOf: process.env.POPULATION_AS_OF,
  });
  const emulator = factory({ population, credentials, clock: systemClock, faults });
  const server = await listen(emulator.app, {
    host: envString(process.env, 'HOST', '127.0.0.1'),
    port: envInt(process.env, 'PORT', Number(new URL(entry.connection.baseUrl).port), 0, 65535),
    drainMs: shutdownDrainMs(process.env),
  });
  console.log([
    `emulated ${id} listening on ${server.url}`,
    `  faults: ${JSON.stringify(faults ?? {})}; change them from this machine with`,
    `    curl -X PATCH ${server.url}${ADMIN_PATH}/faults -H 'content-type: application/json' -d '{"down":true}'`,
  ].join('\n'));
  // A `hang` holds requests that have no answer to finish.
  stopOnSignals(async () => { emulator.held.release(); await server.close(); }, { info: (m) => console.log(m) });
} catch (error) {
  console.error(`emulator did not start: ${(error as Error).message}`);
  process.exitCode = 1;
}
