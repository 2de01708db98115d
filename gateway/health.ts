export interface Health {
  status: 'ok' | 'unavailable';
  subgraphs: Record<string, 'up' | 'down'>;
}

/** Readiness details: each subgraph, and the circuit of each partner behind it. */
export interface Readiness extends Health {
  partners: Record<string, { subgraph: string; circuit: string }>;
}

interface SubgraphHealth {
  up: boolean;
  partners: Record<string, { circuit: string }>;
}

async function askSubgraph(url: string, timeoutMs: number): Promise<SubgraphHealth> {
  try {
    const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { partners?: Record<string, { circuit: string }> };
    return { up: response.ok, partners: body.partners ?? {} };
  } catch {
    return { up: false, partners: {} };
  }
}

/** Asks every subgraph's /healthz at once; ready only when all answer. Partners' circuits are details, not conditions. */
export async function checkReadiness(graphqlUrls: Readonly<Record<string, string>>, timeoutMs = 1000): Promise<Readiness> {
  const answers = await Promise.all(Object.entries(graphqlUrls).map(async ([name, url]) => [name, await askSubgraph(url, timeoutMs)] as const));
  return {
    status: answers.every(([, a]) => a.up) ? 'ok' : 'unavailable',
    subgraphs: Object.fromEntries(answers.map(([name, a]) => [name, a.up ? 'up' : 'down'])),
    partners: Object.fromEntries(answers.flatMap(([name, a]) => Object.entries(a.partners).map(([id, p]) => [id, { subgraph: name, circuit: p.circuit }]))),
  };
}

/** The liveness view: each subgraph up or down. */
export async function checkSubgraphs(graphqlUrls: Readonly<Record<string, string>>, timeoutMs = 1000): Promise<Health> {
  const { status, subgraphs } = await checkReadiness(graphqlUrls, timeoutMs);
  return { status, subgraphs };
}
