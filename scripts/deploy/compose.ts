/**
 * docker-compose.yml, printed as text: its comments and anchors are half of what it says, and a
 * YAML library's document model loses or reflows them. Everything that is the same whatever the
 * domains and partners are is written out below as it stands in the file; what is per subgraph or
 * per partner comes from the plan (model.ts), in declaration and memorandum order.
 */
import { GENERATED, required, withDefault, type DeployPlan, type PlannedPartner, type PlannedSubgraph } from './model.js';

const healthy = (service: string, indent: string) => `${indent}${service}: { condition: service_healthy }`;

/** `*a` for one anchor, `[*a, *b]` for more: the value of a `<<:` merge key. */
const merge = (anchors: readonly string[]) => (anchors.length === 1 ? `*${anchors[0]}` : `[${anchors.map((a) => `*${a}`).join(', ')}]`);

const hasCredentials = (p: PlannedPartner) => p.credentials.length > 0;
const credentialsAnchor = (p: PlannedPartner) => `${p.id}-credentials`;

/** One anchor per partner with credentials, each line ending in a newline (none without any). */
function credentialAnchors(plan: DeployPlan): string {
  return plan.partners.filter(hasCredentials).map((p) => [
    `x-${credentialsAnchor(p)}: &${credentialsAnchor(p)}\n`,
    ...p.credentials.map(({ variable }) => `  ${variable}: ${required(variable)}\n`),
  ].join('')).join('');
}

function emulatorService(p: PlannedPartner): string {
  const { service, port } = p.emulator!;
  return `
  ${service}:
    <<: *node
    command: ["node", "dist/emulators/main.js"]
    environment:
      <<: ${merge(['emulator-env', ...(hasCredentials(p) ? [credentialsAnchor(p)] : [])])}
      EMULATOR: ${p.id}
      PORT: "${port}"
`;
}

function domainSubgraphService(s: PlannedSubgraph): string {
  return `
  ${s.service}:
    <<: *node
    command: ["node", "dist/subgraphs/main.js"]
    depends_on:
      <<: *subgraph-depends
${s.partners.flatMap((p) => (p.emulator ? [healthy(p.emulator.service, '      ') + '\n'] : [])).join('')}\
    environment:
      <<: ${merge(['subgraph-env', ...s.partners.filter(hasCredentials).map(credentialsAnchor)])}
      SUBGRAPH: ${s.name}
      PORT: "${s.port}"
${s.partners.map((p) => `      ${p.urlVariable}: ${withDefault(p.urlVariable, p.defaultUrl)}\n`).join('')}`;
}

export function composeFile(plan: DeployPlan): string {
  const [centre, ...domains] = plan.subgraphs;
  return `${GENERATED}
#
# Vikno in production shape: one process per service, two gateway replicas behind a load balancer,
# PostgreSQL for the access trail, Redis shared by every replica, Prometheus scraping every /metrics.
#
#   cp .env.example .env     # then replace every value in .env (README, "Production (compose)")
#   docker compose up -d --build
#
# Every secret and credential comes from .env (git-ignored); none has a value in this file, and a
# missing one stops \`docker compose\` before anything starts. Every service runs with
# NODE_ENV=production, so weak or published secrets and the development issuer are refused.
# The emulator-* services stand in for the partners' systems: a deployment that reaches the real
# partners removes them (and the subgraphs' depends_on on them) and sets PARTNER_URL_* in .env.
# Checked by test/ops/compose.test.ts (with \`docker-compose config\` where it is installed), and run
# as separate processes by test/ops/topology.test.ts.

# \`version\` is for Debian's docker-compose v1, which validates this file where no engine runs;
# Compose v2 ignores it (with a warning).
version: "3.8"

# Every Node service: one image, unprivileged, read-only, healthy when its own /healthz answers 200.
x-node: &node
  build: .
  image: vikno:local
  restart: unless-stopped
  read_only: true
  tmpfs: ["/tmp"]
  cap_drop: [ALL]
  security_opt: ["no-new-privileges:true"]
  # On SIGTERM a service first answers what it has in flight (SHUTDOWN_DRAIN_MS, 10 s by default).
  stop_grace_period: 20s
  healthcheck:
    # Slim images have no curl; the check is Node's own fetch against the service's PORT.
    test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
    interval: 10s
    timeout: 5s
    retries: 3
    start_period: 30s

x-production: &production
  NODE_ENV: production
  LOG_LEVEL: \${LOG_LEVEL:-info}

# Each partner's credentials, under the names memorandum.yaml gives; each reaches the partner's
# domain subgraph (and the emulator standing in for the partner), nothing else.
${credentialAnchors(plan)}
# The emulated partners' synthetic population (the same seed and size in every emulator).
x-emulator-env: &emulator-env
  <<: *production
  SEED: vikno
  POPULATION_SIZE: "10000"

# What every subgraph shares: the gateway's assertion secret, and Redis for the partners' caches
# (keys are HMACs under CACHE_KEY_SECRET, values encrypted) and their live status.
x-subgraph-env: &subgraph-env
  <<: *production
  ASSERTION_SECRET: ${required('ASSERTION_SECRET')}
  CACHE_KEY_SECRET: ${required('CACHE_KEY_SECRET')}
  REDIS_URL: redis://:${required('REDIS_PASSWORD')}@redis:6379

x-subgraph-depends: &subgraph-depends
  redis: { condition: service_healthy }

# The access trail: PostgreSQL, the keys kept outside it, and the signed checkpoints on a volume of
# their own (in production, storage the database's owner cannot rewrite: README, "Security model").
x-trail-env: &trail-env
  DATABASE_URL: postgres://vikno:${required('POSTGRES_PASSWORD')}@postgres:5432/vikno
  TRAIL_KEY: ${required('TRAIL_KEY')}
  TRAIL_SEAL_KEY: ${required('TRAIL_SEAL_KEY')}
  TRAIL_CHECKPOINT_DIR: /var/lib/vikno/checkpoints

x-gateway: &gateway
  <<: *node
  command: ["node", "dist/gateway/main.js"]
  volumes: ["trail-checkpoints:/var/lib/vikno/checkpoints"]
  depends_on:
    postgres: { condition: service_healthy }
    redis: { condition: service_healthy }
${plan.subgraphs.map((s) => healthy(s.service, '    ')).join('\n')}

x-gateway-env: &gateway-env
  <<: [*production, *trail-env]
  PORT: "4000"
  # The real identity provider: no development issuer runs in production. AUTH_JWKS_URL (https)
  # or AUTH_PUBLIC_KEY (a JWK on one line), exactly one of them.
  AUTH_ISSUER: ${required('AUTH_ISSUER')}
  AUTH_JWKS_URL: \${AUTH_JWKS_URL:-}
  AUTH_PUBLIC_KEY: \${AUTH_PUBLIC_KEY:-}
  AUTH_AUDIENCE: \${AUTH_AUDIENCE:-vikno}
  CONSOLE_CLIENT_ID: \${CONSOLE_CLIENT_ID:-}
  PORTAL_CLIENT_ID: \${PORTAL_CLIENT_ID:-}
  ASSERTION_SECRET: ${required('ASSERTION_SECRET')}
  # The limit on different people per principal is shared by both replicas through Redis.
  REDIS_URL: redis://:${required('REDIS_PASSWORD')}@redis:6379
  CACHE_KEY_SECRET: ${required('CACHE_KEY_SECRET')}
  LOOKUP_LIMIT_STAFF: \${LOOKUP_LIMIT_STAFF:-}
  LOOKUP_LIMIT_CITIZEN: \${LOOKUP_LIMIT_CITIZEN:-}
  # One proxy in front (load-balancer) sets X-Forwarded-For; a second one in front of it makes this 2.
  TRUST_PROXY: \${TRUST_PROXY:-1}
  # The https origins whose browsers may call the API (the citizen portal's), comma-separated; none by default.
  CORS_ORIGINS: \${CORS_ORIGINS:-}
${plan.subgraphs.map((s) => `  ${s.urlVariable}: http://${s.service}:${s.port}/graphql`).join('\n')}

services:
  postgres:
    image: postgres:16-alpine
    restart: unless-stopped
    environment:
      POSTGRES_USER: vikno
      POSTGRES_DB: vikno
      POSTGRES_PASSWORD: ${required('POSTGRES_PASSWORD')}
    volumes: ["trail:/var/lib/postgresql/data"]
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "vikno", "-d", "vikno"]
      interval: 5s
      timeout: 5s
      retries: 10
      start_period: 30s

  # Caches, partner status and look-up windows only: nothing that must survive a restart, so no
  # persistence (and no personal data, even encrypted, on disk).
  redis:
    image: redis:7-alpine
    restart: unless-stopped
    environment:
      REDIS_PASSWORD: ${required('REDIS_PASSWORD')}
    command: ["sh", "-c", "exec redis-server --save '' --appendonly no --requirepass \\"$$REDIS_PASSWORD\\""]
    healthcheck:
      test: ["CMD-SHELL", "REDISCLI_AUTH=\\"$$REDIS_PASSWORD\\" redis-cli ping | grep -q PONG"]
      interval: 5s
      timeout: 5s
      retries: 10
      start_period: 10s
${plan.partners.filter((p) => p.emulator).map(emulatorService).join('')}
  # The centre reads citizens' own access trails, so it opens the trail as the gateways do.
  ${centre.service}:
    <<: *node
    command: ["node", "dist/subgraphs/main.js"]
    volumes: ["trail-checkpoints:/var/lib/vikno/checkpoints"]
    depends_on:
      <<: *subgraph-depends
      postgres: { condition: service_healthy }
    environment:
      <<: [*subgraph-env, *trail-env]
      SUBGRAPH: ${centre.name}
      PORT: "${centre.port}"
      TRAIL_REPLICA_ID: ${centre.service}
${domains.map(domainSubgraphService).join('')}
  # Two replicas of one gateway; each writes the trail's checkpoints under its own name.
  gateway-1:
    <<: *gateway
    environment:
      <<: *gateway-env
      TRAIL_REPLICA_ID: gateway-1

  gateway-2:
    <<: *gateway
    environment:
      <<: *gateway-env
      TRAIL_REPLICA_ID: gateway-2

  # The one door for clients: HAProxy round-robin over both gateways (deploy/haproxy.cfg). TLS ends
  # in front of it, at the centre's edge; VIKNO_LISTEN says where it is published.
  load-balancer:
    image: haproxy:3.2-alpine
    restart: unless-stopped
    volumes: ["./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"]
    ports: ["\${VIKNO_LISTEN:-127.0.0.1:4000}:8080"]
    depends_on:
      gateway-1: { condition: service_healthy }
      gateway-2: { condition: service_healthy }
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8405/healthz"]
      interval: 10s
      timeout: 5s
      retries: 3
      start_period: 10s

  # Every gateway's and subgraph's /metrics, and the load balancer's (deploy/prometheus.yml).
  prometheus:
    image: prom/prometheus:v3.5.0
    restart: unless-stopped
    command: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--storage.tsdb.retention.time=15d"]
    volumes: ["./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro", "prometheus-data:/prometheus"]
    ports: ["127.0.0.1:9090:9090"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9090/-/healthy"]
      interval: 10s
      timeout: 5s
      retries: 3
      start_period: 20s

volumes:
  trail:
  trail-checkpoints:
  prometheus-data:
`;
}
