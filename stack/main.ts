/** `npm start`: the embedded default — emulated partners, subgraphs and gateway in one process. */
import { createLogger } from '../platform/logger.js';
import { MemorandumError } from '../domain/memorandum.js';
import { ADMIN_PATH } from '../emulators/kit/admin.js';
import type { Faults } from '../emulators/kit/faults.js';
import { EMULATORS } from '../emulators/registry.js';
import { ConfigError, envInt, envString, shutdownDrainMs, stopOnSignals } from '../platform/env.js';
import { envPartnerFaults } from '../emulators/kit/faults-env.js';
import { assertRedisReachable, RedisUnavailableError } from '../platform/redis.js';
import { startStack, type RunningStack } from './start-stack.js';
import { DEFAULT_ANSWER_BUDGET_MS } from '../gateway/create-gateway.js';
import { openTrail, trailOptionsFromEnv, TrailConfigError } from '../audit/index.js';
import { stackIdentityFromEnv } from './auth-env.js';
import { checkSecrets } from './secrets.js';
import { admissionFromEnv, lookupLimitsFromEnv } from '../gateway/limits-env.js';
import { corsOriginsFromEnv } from '../gateway/cors.js';
import { startTracing } from '../platform/tracing.js';
import { createMetrics } from '../platform/metrics.js';
import { DEMO_ACCOUNTS } from '../identity/demo-accounts.js';

const log = createLogger({ level: envString(process.env, 'LOG_LEVEL', 'warn') });
// Traces go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it no span is made, a caller's traceparent still passed on.
const tracing = startTracing({ service: 'vikno', env: process.env });

/** Each emulator's admin endpoint (loopback only), with the faults FAULTS started it with. */
function faultLines(stack: RunningStack, faults: Readonly<Record<string, Partial<Faults>>>): string[] {
  const admins = [...stack.emulators].map(([id, { url }]) => ({ id, admin: `${url}${ADMIN_PATH}` }));
  if (admins.length === 0) return [];
  const width = Math.max(...admins.map((a) => a.id.length));
  return [
    `  faults:   curl -X PATCH ${admins[0].admin}/faults -H 'content-type: application/json' -d '{"down":true}'`,
    ...admins.map(({ id, admin }) => `            ${id.padEnd(width)}  ${admin}${faults[id] ? `  ${JSON.stringify(faults[id])}` : ''}`),
  ];
}

let closeTrail: (() => Promise<void>) | undefined;
try {
  // Before anything is opened: in production every secret and a real token issuer, all problems at once.
  checkSecrets(process.env, 'stack');
  const faults = envPartnerFaults(process.env, Object.keys(EMULATORS));
  const drainMs = shutdownDrainMs(process.env);
  // An unreachable Redis stops the start within 5 s, before the trail is opened.
  if (process.env.REDIS_URL) await assertRedisReachable(process.env.REDIS_URL);
  // The access trail: PostgreSQL with DATABASE_URL, the embedded store under .vikno/ otherwise.
  const trail = await openTrail(trailOptionsFromEnv(process.env));
  closeTrail = () => trail.close();
  const stack = await startStack({
    // One registry for the process: the gateway's and every subgraph's /metrics serve all of it.
    metrics: createMetrics({ process: true }),
    trail,
    securityLog: trail.securityLog,
    lookupLimits: lookupLimitsFromEnv(process.env),
    corsOrigins: corsOriginsFromEnv(process.env),
    // Every service shares this one process's CPU: fewer requests at once than the gateway alone
    // admits (16: on 2 cores what is admitted answers in about a second; MAX_IN_FLIGHT overrides).
    admission: admissionFromEnv(process.env, { maxInFlight: 16 }),
    log,
    gatewayPort: envInt(process.env, 'PORT', 4000, 0, 65535),
    seed: envString(process.env, 'SEED', 'vikno'),
    populationSize: envInt(process.env, 'POPULATION_SIZE', 10_000, 2, 1_000_000),
    answerBudgetMs: envInt(process.env, 'ANSWER_BUDGET_MS', DEFAULT_ANSWER_BUDGET_MS, 200, 60_000),
    asOf: process.env.POPULATION_AS_OF,
    env: process.env,
    faults,
    redisUrl: process.env.REDIS_URL || undefined,
    cacheKeySecret: process.env.CACHE_KEY_SECRET || undefined,
    shutdownDrainMs: drainMs,
    ...stackIdentityFromEnv(process.env),
  });
  const accounts = DEMO_ACCOUNTS.map((a) => `            ${a.login.padEnd(12)} ${a.password.padEnd(14)} ${a.about}`);
  console.log([
    `Vikno is up: the staff console at ${stack.origin}/console/, the citizen page at ${stack.origin}/portal/`,
    ...(stack.identityProvider
      ? [`  sign in at the demo OpenID provider (${stack.identityProvider.issuer}; demo only) as:`, `            login        password       who`, ...accounts]
      : [`  sign in at ${process.env.AUTH_ISSUER}`]),
    `  scripts:  POST GraphQL queries to ${stack.gatewayUrl}`,
    `  health:   ${stack.gatewayUrl.replace(/\/graphql$/, '/healthz')}`,
    ...(process.env.NODE_ENV === 'production' ? [] : [`  GraphiQL: ${stack.gatewayUrl.replace(/\/graphql$/, '/graphiql')}   (development only; served from the gateway, works offline)`]),
    `  partners: ${[...stack.emulators.keys()].join(', ')} (emulated, ${stack.population.citizens.length} citizens, seed "${stack.population.seed}")`,
    `  demo citizens: 3111901220, 2660404572`,
    stack.devIssuer
      ? `  a token for scripts:  npm run --silent token -- staff   (or: citizen 3111901220); send it as "authorization: Bearer …" with "x-purpose: <ticket>"`
      : `  tokens:   from ${process.env.AUTH_ISSUER} only; send one as "authorization: Bearer …" with "x-purpose: <ticket>"`,
    `  access trail: ${trail.store === 'postgres' ? 'PostgreSQL' : `embedded, ${trail.location}`}`,
    ...faultLines(stack, faults),
    `Stop with Ctrl-C.`,
  ].join('\n'));
  // The stack drains the gateway, then the subgraphs, then the partners; the trail is closed last.
  stopOnSignals(async () => { await stack.stop(); await trail.close(); await tracing.stop(); }, { info: (m) => console.log(m) }, { deadlineMs: 3 * drainMs + 5000 });
} catch (error) {
  await closeTrail?.().catch(() => undefined); // an open trail would keep the process from exiting
  const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (error instanceof MemorandumError || error instanceof ConfigError || error instanceof TrailConfigError || error instanceof RedisUnavailableError) {
    console.error(`Vikno did not start:\n${error.message}`);
  } else if (code === 'EADDRINUSE') {
    console.error(`Vikno did not start: ${address}:${port} is already in use. Stop what listens there, or choose another port: PORT=4100 npm start`);
  } else {
    console.error('Vikno did not start:', error);
  }
  process.exitCode = 1;
}
