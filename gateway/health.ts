import { checkDependencies, type Dependencies, type DependencyState } from '../platform/readiness.js';

/** Liveness: each subgraph up or down. */
export interface Health {
  status: 'ok' | 'unavailable';
  subgraphs: Record<string, 'up' | 'down'>;
}

/**
 * Readiness details: each subgraph, the circuit of each partner behind it, and the dependencies
 * (the gateway's own and those the subgraphs report; one down anywhere is down). `unavailable`
 * (503) when a subgraph is down or an essential dependency (the trail's database) is: answers
 * would be withheld. `degraded` (still 200) when Redis is down or a partner's circuit is open:
 * answers flow, without a shared cache or without that partner.
 */
export interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable';
  subgraphs: Record<string, 'up' | 'down'>;
  partners: Record<string, { subgraph: string; circuit: string }>;
  dependencies: Record<string, DependencyState>;
}

interface SubgraphHealth {
  up: boolean;
  partners: Record<string, { circuit: string }>;
  dependencies: Record<string, DependencyState>;
}

async function askSubgraph(url: string, timeoutMs: number): Promise<SubgraphHealth> {
  try {
    const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as Partial<Pick<SubgraphHealth, 'partners' | 'dependencies'>>;
    return { up: response.ok, partners: body.partners ?? {}, dependencies: body.dependencies ?? {} };
  } catch {
    return { up: false, partners: {}, dependencies: {} };
  }
}

async function askSubgraphs(graphqlUrls: Readonly<Record<string, string>>, timeoutMs: number) {
  return Promise.all(Object.entries(graphqlUrls).map(async ([name, url]) => [name, await askSubgraph(url, timeoutMs)] as const));
}

export interface ReadinessOptions {
  /** The gateway's own dependencies (the trail essential, Redis not). */
  dependencies?: Readonly<Dependencies>;
  timeoutMs?: number;
}

/** Asks every subgraph's /healthz and checks the gateway's own dependencies, all at once. */
export async function checkReadiness(graphqlUrls: Readonly<Record<string, string>>, options: ReadinessOptions = {}): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const own = options.dependencies ?? {};
  const [answers, ownStates] = await Promise.all([askSubgraphs(graphqlUrls, timeoutMs), checkDependencies(own, timeoutMs)]);
  const dependencies: Record<string, DependencyState> = {};
  for (const states of [ownStates, ...answers.map(([, a]) => a.dependencies)]) {
    for (const [name, state] of Object.entries(states)) dependencies[name] = dependencies[name] === 'down' || state === 'down' ? 'down' : 'up';
  }
  const partners = Object.fromEntries(answers.flatMap(([name, a]) => Object.entries(a.partners).map(([id, p]) => [id, { subgraph: name, circuit: p.circuit }])));
  const unavailable = answers.some(([, a]) => !a.up) || Object.entries(ownStates).some(([name, state]) => state === 'down' && own[name].essential);
  const degraded = Object.values(dependencies).includes('down') || Object.values(partners).some((p) => p.circuit === 'OPEN');
  return {
    status: unavailable ? 'unavailable' : degraded ? 'degraded' : 'ok',
    subgraphs: Object.fromEntries(answers.map(([name, a]) => [name, a.up ? 'up' : 'down'])),
    partners,
    dependencies,
  };
}

/** The liveness view: each subgraph up or down, nothing else asked. */
export async function checkSubgraphs(graphqlUrls: Readonly<Record<string, string>>, timeoutMs = 1000): Promise<Health> {
  const answers = await askSubgraphs(graphqlUrls, timeoutMs);
  return {
    status: answers.every(([, a]) => a.up) ? 'ok' : 'unavailable',
    subgraphs: Object.fromEntries(answers.map(([name, a]) => [name, a.up ? 'up' : 'down'])),
  };
}
