import { orFallback } from './bound.js';

/**
 * What a process needs besides itself (the access trail's database, Redis), for readiness. An
 * essential dependency being down means answers are withheld anyway: the process is not ready. Any
 * other being down means answers still flow, without it: the process is degraded.
 */
export interface Dependency {
  /** Quick and never throwing: whether it answers now. */
  check(): Promise<boolean> | boolean;
  essential?: boolean;
}

export type Dependencies = Record<string, Dependency>;
export type DependencyState = 'up' | 'down';

/** Each dependency's state, all checked at once; a check that fails or takes longer than `timeoutMs` is down. */
export async function checkDependencies(dependencies: Readonly<Dependencies>, timeoutMs = 1000): Promise<Record<string, DependencyState>> {
  const states = await Promise.all(Object.entries(dependencies).map(async ([name, dependency]) => {
    const up = await orFallback(Promise.resolve().then(() => dependency.check()), timeoutMs, false);
    return [name, up ? 'up' : 'down'] as const;
  }));
  return Object.fromEntries(states);
}
