/** Reading settings from the environment, for the thin main.ts files only (factories never read it). */
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw.trim() === raw ? raw : Number.NaN);
  if (!parsed.success) throw new ConfigError(`${name}: must be a whole number from ${min} to ${max}, got "${raw}"`);
  return parsed.data;
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

export function envJson(env: NodeJS.ProcessEnv, name: string): unknown {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`${name}: must be JSON: ${(error as Error).message}`);
  }
}

/** SHUTDOWN_DRAIN_MS: how long a stopping process lets requests in flight finish (default 10 s). */
export function shutdownDrainMs(env: NodeJS.ProcessEnv): number {
  return envInt(env, 'SHUTDOWN_DRAIN_MS', 10_000, 0, 10 * 60_000);
}

export interface StopOnSignalsOptions {
  /** Past this, a stop that has not finished exits 1 anyway (a pool that will not close must not keep a process up). */
  deadlineMs?: number;
}

/**
 * Runs `stop` once on SIGTERM or Ctrl-C, then exits 0 (1 if it failed or overran its deadline).
 * `stop` drains: no new connections, requests in flight answered and recorded, then pools closed.
 * A second signal exits at once, for an operator who will not wait.
 */
export function stopOnSignals(stop: () => Promise<void>, log: { info(msg: string): void }, options: StopOnSignalsOptions = {}): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.info(`${signal} again: exiting without waiting for requests in flight`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal}: stopping (no new requests; those in flight are finished first)`);
    if (options.deadlineMs !== undefined) {
      setTimeout(() => {
        log.info(`stopping took longer than ${options.deadlineMs} ms: exiting`);
        process.exit(1);
      }, options.deadlineMs).unref();
    }
    stop().then(() => process.exit(0), (error: unknown) => {
      log.info(`stopping failed: ${(error as Error)?.message ?? error}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
