export interface Health {
  status: 'ok' | 'unavailable';
  subgraphs: Record<string, 'up' | 'down'>;
}

/** Asks every subgraph's /healthz at once; the gateway is healthy only when all answer. */
export async function checkSubgraphs(graphqlUrls: Readonly<Record<string, string>>, timeoutMs = 1000): Promise<Health> {
  const entries = await Promise.all(
    Object.entries(graphqlUrls).map(async ([name, url]) => {
      try {
        const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
        return [name, response.ok ? 'up' : 'down'] as const;
      } catch {
        return [name, 'down'] as const;
      }
    }),
  );
  const subgraphs = Object.fromEntries(entries);
  return { status: entries.every(([, s]) => s === 'up') ? 'ok' : 'unavailable', subgraphs };
}
