/** The emulators' faults from the environment (FAULTS), for emulators/main.ts and the embedded default. */
import { ConfigError, envJson } from '../../platform/env.js';
import { FaultsError, parseFaults, type Faults } from './faults.js';

/** `failRate: …` as `FAULTS: heating-kryvyi-rih.failRate: …`. */
function faultsOrConfigError(name: string, at: string, input: unknown): Partial<Faults> {
  try {
    return parseFaults(input);
  } catch (error) {
    if (!(error instanceof FaultsError)) throw error;
    const where = (field: string) => [at, field].filter(Boolean).join('.');
    throw new ConfigError(error.problems.map((p) => `${name}: ${where(p.field) ? `${where(p.field)}: ` : ''}${p.message}`).join('\n'));
  }
}

/** One emulator's faults (emulators/main.ts): `FAULTS='{"latencyMs":200,"failRate":0.1}'`. */
export function envFaults(env: NodeJS.ProcessEnv, name = 'FAULTS'): Partial<Faults> | undefined {
  const input = envJson(env, name);
  return input === undefined ? undefined : faultsOrConfigError(name, '', input);
}

/** Faults by partner id (the embedded default): `FAULTS='{"heating-kryvyi-rih":{"hang":true}}'`. */
export function envPartnerFaults(env: NodeJS.ProcessEnv, ids: readonly string[], name = 'FAULTS'): Record<string, Partial<Faults>> {
  const input = envJson(env, name);
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(`${name}: must be a JSON object of faults by partner id, e.g. {"heating-kryvyi-rih":{"hang":true}}`);
  }
  return Object.fromEntries(Object.entries(input).map(([id, faults]) => {
    if (!ids.includes(id)) throw new ConfigError(`${name}: ${id}: not an emulated partner (one of ${ids.join(', ')})`);
    return [id, faultsOrConfigError(name, id, faults)];
  }));
}
