import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, type Memorandum } from '../../domain/memorandum.js';
import { projectRoot } from '../../domain/project-root.js';
import { EMULATORS } from '../../emulators/registry.js';
import { SUBGRAPH_NAMES } from '../../schema/index.js';
import { envSuffix } from '../../platform/env.js';
import { PUBLISHED_SECRETS } from '../../stack/published-secrets.js';
import { itWithProgram } from '../helpers/ci-provided.js';
import {
  composeVariables, dockerComposeConfig, nodeServices, parseCompose, urlHostPort, type ComposeConfig,
} from './compose-file.js';

/**
 * docker-compose.yml runs as written with a real engine: validated by `docker-compose config` where
 * it is installed, and checked structurally either way (CI may not have the binary).
 */

const root = projectRoot();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Names whose values are secrets wherever they appear (a public key is not one). */
const SECRET_NAME = /(SECRET|PASSWORD|TOKEN|(?<!PUBLIC)_KEY)$/;
const sentinel = (name: string) => `sentinel-${name}`;

/** Every variable the file requires, set to a value naming it: what reaches a service shows where it came from. */
function sentinelEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, { required }] of composeVariables()) if (required) env[name] = sentinel(name);
  env.AUTH_JWKS_URL = 'https://id.example.invalid/.well-known/jwks.json';
  return env;
}

const ENV = sentinelEnv();
let config: ComposeConfig;
let memorandum: Memorandum;
const port = (service: string) => Number(config.services[service].environment.PORT);

beforeAll(async () => {
  config = parseCompose(ENV);
  memorandum = await loadMemorandum(DEFAULT_MEMORANDUM_FILE);
});

describe('docker-compose.yml', () => {
  const withCompose = itWithProgram('docker-compose', ['version']);

  withCompose('is valid for docker-compose, which resolves it as this test does', () => {
    const resolved = dockerComposeConfig(ENV);
    if (!resolved.ok) throw new Error(resolved.message);
    expect(Object.keys(resolved.config.services).sort()).toEqual(Object.keys(config.services).sort());
    for (const [name, service] of Object.entries(config.services)) {
      const theirs = resolved.config.services[name];
      expect({ name, environment: theirs.environment, depends_on: theirs.depends_on, command: theirs.command })
        .toEqual({ name, environment: service.environment, depends_on: service.depends_on, command: service.command });
    }
  });

  withCompose('refuses to start without a secret rather than fall back to a value', () => {
    const { ASSERTION_SECRET: _left, ...without } = ENV;
    const resolved = dockerComposeConfig(without);
    expect(resolved.ok).toBe(false);
    expect(resolved.ok ? '' : resolved.message).toContain('set it in .env (see .env.example)');
  });

  it('takes every secret from the environment: required, with no fallback and no inline value', () => {
    const variables = composeVariables();
    const secretVariables = [...variables.keys()].filter((name) => SECRET_NAME.test(name));
    expect(secretVariables.filter((name) => !variables.get(name)!.required)).toEqual([]);
    const inline: string[] = [];
    for (const [service, { environment }] of Object.entries(config.services)) {
      for (const [name, value] of Object.entries(environment)) {
        if (SECRET_NAME.test(name) && value !== sentinel(name)) inline.push(`${service}: ${name}`);
        if (/^[a-z]+:\/\//.test(value)) {
          const url = new URL(value);
          if (url.password && !/^sentinel-[A-Z_]+$/.test(decodeURIComponent(url.password))) inline.push(`${service}: ${name} (password in the URL)`);
        }
      }
    }
    expect(inline).toEqual([]);
  });

  it('runs every Node service with NODE_ENV=production from the one image, unprivileged and read-only', () => {
    const nodes = nodeServices(config);
    expect(nodes.length).toBeGreaterThanOrEqual(16);
    expect(nodes.filter((name) => config.services[name].environment.NODE_ENV !== 'production')).toEqual([]);
    expect(new Set(nodes.map((name) => config.services[name].image)).size).toBe(1);
    const raw = parseYaml(read('docker-compose.yml'), { merge: true, maxAliasCount: -1 }) as { services: Record<string, any> };
    for (const name of nodes) expect({ name, read_only: raw.services[name].read_only, cap_drop: raw.services[name].cap_drop }).toEqual({ name, read_only: true, cap_drop: ['ALL'] });
  });

  it('gives every service a healthcheck, and every dependency waits for its health', () => {
    const unchecked = Object.entries(config.services).filter(([, s]) => !s.healthcheck?.test || s.healthcheck.disable).map(([name]) => name);
    expect(unchecked).toEqual([]);
    const waits = Object.entries(config.services).flatMap(([name, s]) => Object.entries(s.depends_on).map(([on, { condition }]) => `${name} -> ${on}: ${condition}`));
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.filter((line) => !line.endsWith(': service_healthy'))).toEqual([]);
    const unknown = Object.values(config.services).flatMap((s) => Object.keys(s.depends_on)).filter((on) => !config.services[on]);
    expect(unknown).toEqual([]);
  });

  it('checks the Node services with Node itself against their own /healthz (slim images have no curl)', () => {
    for (const name of nodeServices(config)) {
      const test = config.services[name].healthcheck!.test as string[];
      expect({ name, runner: test.slice(0, 3) }).toEqual({ name, runner: ['CMD', 'node', '-e'] });
      expect(test[3]).toContain('/healthz');
      expect(config.services[name].environment.PORT).toMatch(/^\d+$/);
    }
  });

  it('passes every enabled memorandum partner\'s credentials to the subgraph of its domain and to nothing outside it', () => {
    const missing: string[] = [];
    const credentialVariables = new Set<string>();
    for (const partner of memorandum.partners.filter((p) => p.enabled)) {
      const subgraph = config.services[`subgraph-${partner.domain}`];
      if (!subgraph) { missing.push(`${partner.id}: no service subgraph-${partner.domain}`); continue; }
      for (const variable of Object.values(partner.connection.credentials)) {
        credentialVariables.add(variable);
        if (subgraph.environment[variable] !== sentinel(variable)) missing.push(`subgraph-${partner.domain}: ${variable} (${partner.id})`);
      }
      // The partner's address: the emulator standing in for it, on the port that emulator listens on.
      const url = subgraph.environment[`PARTNER_URL_${envSuffix(partner.id)}`];
      if (!url) { missing.push(`subgraph-${partner.domain}: PARTNER_URL_${envSuffix(partner.id)}`); continue; }
      // A partner with no emulator is reached where the memorandum says, unless .env says otherwise.
      if (!EMULATORS[partner.id]) { expect({ partner: partner.id, url }).toEqual({ partner: partner.id, url: partner.connection.baseUrl }); continue; }
      const [host, hostPort] = urlHostPort(url);
      expect({ partner: partner.id, host, port: hostPort }).toEqual({ partner: partner.id, host: `emulator-${partner.id}`, port: port(`emulator-${partner.id}`) });
      const emulator = config.services[host].environment;
      expect(emulator.EMULATOR).toBe(partner.id);
      for (const variable of Object.values(partner.connection.credentials)) if (emulator[variable] !== sentinel(variable)) missing.push(`${host}: ${variable}`);
    }
    expect(missing).toEqual([]);
    // Least privilege: no partner's credentials in a gateway, a subgraph of another domain or another partner's emulator.
    const leaked = Object.entries(config.services).flatMap(([name, { environment }]) => Object.keys(environment)
      .filter((variable) => credentialVariables.has(variable))
      .filter((variable) => {
        const owner = memorandum.partners.find((p) => Object.values(p.connection.credentials).includes(variable))!;
        return name !== `subgraph-${owner.domain}` && name !== `emulator-${owner.id}`;
      })
      .map((variable) => `${name}: ${variable}`));
    expect(leaked).toEqual([]);
  });

  it('wires two gateway replicas to every subgraph, with a real issuer, the shared trail and one trusted proxy', () => {
    const gateways = nodeServices(config, 'gateway');
    expect(gateways.length).toBe(2);
    for (const name of gateways) {
      const env = config.services[name].environment;
      const urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, urlHostPort(env[`SUBGRAPH_URL_${n.toUpperCase()}`])]));
      expect(urls).toEqual(Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, [`subgraph-${n}`, port(`subgraph-${n}`)]])));
      expect(Object.keys(config.services[name].depends_on).sort()).toEqual([...SUBGRAPH_NAMES.map((n) => `subgraph-${n}`), 'postgres', 'redis'].sort());
      expect({ AUTH_ISSUER: env.AUTH_ISSUER, TRUST_PROXY: env.TRUST_PROXY, AUTH_JWKS_URL: env.AUTH_JWKS_URL })
        .toEqual({ AUTH_ISSUER: sentinel('AUTH_ISSUER'), TRUST_PROXY: '1', AUTH_JWKS_URL: ENV.AUTH_JWKS_URL });
      expect(urlHostPort(env.DATABASE_URL)[0]).toBe('postgres');
      expect(urlHostPort(env.REDIS_URL)[0]).toBe('redis');
      expect(env.TRAIL_CHECKPOINT_DIR).toBeTruthy();
      expect(config.services[name].volumes.some((v) => v.includes(env.TRAIL_CHECKPOINT_DIR))).toBe(true);
    }
    expect(new Set(gateways.map((name) => config.services[name].environment.TRAIL_REPLICA_ID)).size).toBe(2);
    // The centre reads the same trail.
    const centre = config.services['subgraph-centre'].environment;
    expect(centre.DATABASE_URL).toBe(config.services[gateways[0]].environment.DATABASE_URL);
    expect({ TRAIL_KEY: centre.TRAIL_KEY, TRAIL_SEAL_KEY: centre.TRAIL_SEAL_KEY }).toEqual({ TRAIL_KEY: sentinel('TRAIL_KEY'), TRAIL_SEAL_KEY: sentinel('TRAIL_SEAL_KEY') });
  });

  it('keeps the trail in PostgreSQL on a volume, reached with the database\'s own credentials', () => {
    const postgres = config.services.postgres;
    expect(postgres.volumes.some((v) => v.endsWith(':/var/lib/postgresql/data') && config.volumes.includes(v.split(':')[0]))).toBe(true);
    const url = new URL(config.services['gateway-1'].environment.DATABASE_URL);
    expect({ user: url.username, password: url.password, db: url.pathname.slice(1) })
      .toEqual({ user: postgres.environment.POSTGRES_USER, password: postgres.environment.POSTGRES_PASSWORD, db: postgres.environment.POSTGRES_DB });
    expect(postgres.environment.POSTGRES_HOST_AUTH_METHOD).toBeUndefined();
    expect(new URL(config.services['gateway-1'].environment.REDIS_URL).password).toBe(config.services.redis.environment.REDIS_PASSWORD);
  });

  it('puts the load balancer in front of both gateways, and only it is published', () => {
    const lb = config.services['load-balancer'];
    expect(lb.image).toMatch(/^haproxy:\d/);
    expect(lb.volumes).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    expect(Object.keys(lb.depends_on).sort()).toEqual(nodeServices(config, 'gateway').sort());
    const cfg = read('deploy/haproxy.cfg');
    const servers = [...cfg.matchAll(/^\s*server\s+\S+\s+(\S+):(\d+)/gm)].map((m) => [m[1], Number(m[2])]);
    expect(servers).toEqual(nodeServices(config, 'gateway').map((g) => [g, port(g)]));
    const bind = Number(/^frontend vikno[\s\S]*?^\s*bind\s+:(\d+)/m.exec(cfg)![1]);
    expect(lb.ports.map((p) => Number(p.split(':').at(-1)))).toEqual([bind]);
    const published = Object.entries(config.services).filter(([, s]) => s.ports.length > 0).map(([name]) => name).sort();
    expect(published).toEqual(['load-balancer', 'prometheus']);
    expect(config.services.prometheus.ports.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('has Prometheus scrape every gateway and subgraph on the port it listens on', () => {
    const prometheus = config.services.prometheus;
    expect(prometheus.volumes).toContain('./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const scrape = parseYaml(read('deploy/prometheus.yml')) as { scrape_configs: Array<{ metrics_path?: string; static_configs: Array<{ targets: string[] }> }> };
    expect(scrape.scrape_configs.every((job) => (job.metrics_path ?? '/metrics') === '/metrics')).toBe(true);
    const targets = scrape.scrape_configs.flatMap((job) => job.static_configs.flatMap((s) => s.targets));
    const expected = [...nodeServices(config, 'gateway'), ...nodeServices(config, 'subgraphs')].map((name) => `${name}:${port(name)}`);
    expect(targets.filter((t) => expected.includes(t)).sort()).toEqual(expected.sort());
    expect(targets.filter((t) => !config.services[t.split(':')[0]])).toEqual([]);
  });

  itWithProgram('promtool', ['--version'], 'prometheus')('has a Prometheus configuration promtool accepts', () => {
    execFileSync('promtool', ['check', 'config', path.join(root, 'deploy/prometheus.yml')], { stdio: 'pipe' });
  });

  itWithProgram('haproxy', ['-v'])('has an HAProxy configuration haproxy accepts', () => {
    execFileSync('haproxy', ['-c', '-q', '-f', path.join(root, 'deploy/haproxy.cfg')], { stdio: 'pipe' });
  });
});

describe('.env.example', () => {
  const example = Object.fromEntries(read('.env.example').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));

  it('names every variable the compose file requires, so `cp .env.example .env` leaves none out', () => {
    const required = [...composeVariables()].filter(([, v]) => v.required).map(([name]) => name);
    expect(required.filter((name) => !(name in example))).toEqual([]);
  });

  it('holds only placeholders a production start refuses, and .env itself is git-ignored', () => {
    const secrets = Object.entries(example).filter(([name]) => SECRET_NAME.test(name));
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    expect(secrets.filter(([, value]) => !PUBLISHED_SECRETS.has(value)).map(([name]) => name)).toEqual([]);
    expect(spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: root }).status).toBe(0);
    expect(spawnSync('git', ['check-ignore', '-q', '.env.example'], { cwd: root }).status).toBe(1);
  });
});

describe('the image', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds on a current LTS Node in stages, and runs unprivileged with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:(22|24)-slim\b/);
    const run = stages.at(-1)!;
    expect(run).toMatch(/^USER node$/m);
    expect(run).not.toMatch(/npm (ci|install)(?![^\n]*--omit=dev)/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(run).toMatch(/COPY --from=\w+ \/app\/node_modules/);
    expect(run).toMatch(/ENV NODE_ENV=production/);
  });

  it('is built from a context without local state, secrets or build output', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const entry of ['.vikno', '.env', 'node_modules', 'dist', '.git', 'coverage', '.test-results.json']) expect(ignored).toContain(entry);
  });
});
