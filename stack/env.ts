/** Reading settings from the environment, for the thin main.ts files only (factories never read it). */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}: must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function envString(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

/** `GAS_KRYVYI_RIH` from `gas-kryvyi-rih`, for per-partner variables such as PARTNER_URL_GAS_KRYVYI_RIH. */
export function envSuffix(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** Base URLs that replace the memorandum's, from PARTNER_URL_<ID> variables (compose uses them). */
export function partnerUrlOverrides(env: NodeJS.ProcessEnv, ids: readonly string[]): Record<string, string> {
  return Object.fromEntries(ids.flatMap((id) => (env[`PARTNER_URL_${envSuffix(id)}`] ? [[id, env[`PARTNER_URL_${envSuffix(id)}`]!]] : [])));
}

/** Runs `stop` once on Ctrl-C or SIGTERM, then exits. */
export function stopOnSignals(stop: () => Promise<void>, log: { info(msg: string): void }): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}
