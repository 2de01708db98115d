import { ConfigError } from '../platform/env.js';
import { DEFAULT_LOOKUP_LIMITS, parseLookupLimit, type LookupLimits } from './lookup-limiter.js';
import type { AdmissionOptions } from './admission.js';

/** LOOKUP_LIMIT_STAFF and LOOKUP_LIMIT_CITIZEN (`PEOPLE/SECONDS`), else the defaults. */
export function lookupLimitsFromEnv(env: NodeJS.ProcessEnv): LookupLimits {
  const read = (name: string, fallback: LookupLimits['staff']) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    try {
      return parseLookupLimit(name, value);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  };
  return { staff: read('LOOKUP_LIMIT_STAFF', DEFAULT_LOOKUP_LIMITS.staff), citizen: read('LOOKUP_LIMIT_CITIZEN', DEFAULT_LOOKUP_LIMITS.citizen) };
}

/** TRUST_PROXY: how many proxies in front set X-Forwarded-For (a number), or unset for none. */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.TRUST_PROXY;
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,2}$/.test(value)) throw new ConfigError(`TRUST_PROXY: the number of proxies in front of the gateway (e.g. 1), got "${value}"`);
  return Number(value);
}

/** MAX_IN_FLIGHT and MAX_EVENT_LOOP_DELAY_MS: when the gateway refuses new work with 503 (gateway/admission.ts). */
export function admissionFromEnv(env: NodeJS.ProcessEnv, defaults: AdmissionOptions = {}): AdmissionOptions {
  const read = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new ConfigError(`${name}: a whole number of at least 1, got "${value}"`);
    return Number(value);
  };
  return {
    maxInFlight: read('MAX_IN_FLIGHT') ?? defaults.maxInFlight,
    maxEventLoopDelayMs: read('MAX_EVENT_LOOP_DELAY_MS') ?? defaults.maxEventLoopDelayMs,
  };
}
