import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { itWithProgram } from '../helpers/ci-provided.js';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createPgClient } from '../../audit/index.js';
import { loadQuery } from '../../docs/queries/index.js';
import { projectRoot } from '../../domain/project-root.js';
import { claimsFromPrincipal } from '../../identity/principal.js';
import { golden } from '../helpers/golden.js';
import { DEMO_STAFF_PRINCIPAL, TEST_AS_OF, TEST_PURPOSE, type GraphQLResponse } from '../helpers/stack.js';
import { composeVariables, nodeServices, parseCompose, type ComposeConfig } from './compose-file.js';
import { freePort, runHealthcheck, startHaproxy, startService, stopService, type ServiceProcess } from './processes.js';

/**
 * The compose topology without a container engine: every Node service of docker-compose.yml —
 * seven emulated partners, seven subgraphs, two gateways — started as its own `node dist/…` process
 * with the environment compose gives it (secrets and credentials made up for the run, as an
 * operator's .env would hold them). Only what containers change is changed: each listens on a free
 * loopback port, the URLs naming another service point at that port, PostgreSQL and Redis are the
 * ones in DATABASE_URL and REDIS_URL when set (a database of this run's own), and the emulators
 * hold the test population (300 citizens, the suite's reference month) to compare with the goldens.
 * dist/ is built first (`npm run build`, a no-op when it is up to date).
 */

const run = promisify(execFile);
const root = projectRoot();
const ISSUER = 'https://id.topology.test/';
const overview = loadQuery('overview');

let config: ComposeConfig;
let work: string;
let database: { admin: string; url: string; name: string } | undefined;
let signToken: () => Promise<string>;
const running = new Map<string, ServiceProcess>();

/** What an operator's .env holds: a value for every variable the file requires, and the issuer's public key. */
async function operatorEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [name, { required }] of composeVariables()) if (required) env[name] = randomBytes(32).toString('hex');
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  env.AUTH_ISSUER = ISSUER;
  env.AUTH_PUBLIC_KEY = JSON.stringify(await exportJWK(publicKey));
  signToken = () => new SignJWT({ ...claimsFromPrincipal(DEMO_STAFF_PRINCIPAL) }).setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer(ISSUER).setAudience('vikno').setIssuedAt().setExpirationTime('10m').sign(privateKey);
  return env;
}

/** A service's compose environment with only what containers change replaced. */
function processEnv(name: string): Record<string, string> {
  const env: Record<string, string> = { ...config.services[name].environment, HOST: '127.0.0.1', PORT: '0' };
  for (const [key, value] of Object.entries(env)) {
    if (!/^https?:\/\//.test(value)) continue;
    const url = new URL(value);
    const target = running.get(url.hostname);
    if (!config.services[url.hostname]) continue;
    if (!target) throw new Error(`${name}: ${key} names ${url.hostname}, which is not started yet`);
    url.hostname = '127.0.0.1';
    url.port = String(target.port);
    env[key] = url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
  }
  if (env.DATABASE_URL) {
    if (database) env.DATABASE_URL = database.url;
    else {
      delete env.DATABASE_URL;
      if (name.startsWith('gateway')) env.TRAIL_DIR = path.join(work, name, 'trail'); // each replica its own embedded trail
    }
  }
  if (env.REDIS_URL) {
    if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
    else delete env.REDIS_URL;
  }
  if (env.TRAIL_CHECKPOINT_DIR) env.TRAIL_CHECKPOINT_DIR = path.join(work, 'checkpoints');
  if (env.EMULATOR) Object.assign(env, { POPULATION_SIZE: '300', POPULATION_AS_OF: TEST_AS_OF });
  return env;
}

async function startAll(names: readonly string[]): Promise<void> {
  const started = await Promise.allSettled(names.map((name) => startService(name, config.services[name].command!, processEnv(name))));
  for (const result of started) if (result.status === 'fulfilled') running.set(result.value.name, result.value);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

beforeAll(async () => {
  await run('npm', ['run', '--silent', 'build'], { cwd: root });
  config = parseCompose(await operatorEnv());
  work = mkdtempSync(path.join(tmpdir(), 'vikno-topology-'));
  mkdirSync(path.join(work, 'checkpoints'));
  if (process.env.DATABASE_URL) {
    const name = `vikno_topology_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = process.env.DATABASE_URL;
    const client = createPgClient(admin);
    await client.query(`CREATE DATABASE "${name}"`).finally(() => client.close());
    const url = new URL(admin);
    url.pathname = `/${name}`;
    database = { admin, url: url.toString(), name };
  }
  await startAll(nodeServices(config, 'emulators'));
  await startAll(nodeServices(config, 'subgraphs'));
  await startAll(nodeServices(config, 'gateway'));
  // One look-up of another citizen through each gateway first: the partners' tokens and tariffs,
  // the connections and the code paths are warm, so the look-ups below are not a cold start's.
  await Promise.all(nodeServices(config, 'gateway').map((gateway) => lookUp(gateway, '2660404572')));
}, 300_000);

afterAll(async () => {
  await Promise.all([...running.values()].map((service) => stopService(service)));
  if (database) {
    const client = createPgClient(database.admin);
    await client.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`).finally(() => client.close());
  }
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

/**
 * A look-up as a client sends it. A gateway refuses new work with 503 OVERLOADED while its event
 * loop lags (on a busy 2-core machine, right after 16 processes started); a client then does as
 * Retry-After says, and so does this, a few times at most.
 */
async function post(url: string, query: string, variables: Record<string, unknown> = {}, attempts = 5): Promise<GraphQLResponse> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signToken()}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE) },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as GraphQLResponse;
  if (response.status !== 503 || answer.errors?.[0]?.extensions?.code !== 'OVERLOADED' || attempts <= 1) return answer;
  await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
  return post(url, query, variables, attempts - 1);
}

const lookUp = (gateway: string, taxId: string) => post(running.get(gateway)!.url, overview, { taxId });

/** What does not depend on the moment of asking: no fetch times, freshness or extracts (numbered and dated by the day). */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !['source', 'issuedExtract', 'fetchedAt'].includes(key)).map(([k, v]) => [k, timeless(v)]));
}

describe('the compose topology as separate processes', () => {
  it('starts every Node service compose runs, and each passes its compose healthcheck', async () => {
    expect([...running.keys()].sort()).toEqual(nodeServices(config).sort());
    const codes = await Promise.all([...running.values()].map(async (s) => [s.name, await runHealthcheck(config.services[s.name].healthcheck!.test as string[], s.port)]));
    expect(Object.fromEntries(codes)).toEqual(Object.fromEntries([...running.keys()].map((name) => [name, 0])));
  });

  it.each(['gateway-1', 'gateway-2'])('answers a look-up through %s in full, from all seven partners', async (gateway) => {
    const answer = await lookUp(gateway, '3111901220');
    expect(answer.errors).toBeUndefined();
    const partners = (field: string) => [...new Set((answer.data!.citizen as Record<string, Array<{ partner?: { id: string } }>>)[field].map((a) => a.partner?.id))];
    expect(partners('gasAccounts')).toEqual(['gas-kryvyi-rih', 'gas-vinnytsia']);
    expect(timeless(answer)).toEqual(timeless(golden('overview-3111901220', answer)));
  });

  it('serves metrics from both gateways', async () => {
    for (const gateway of nodeServices(config, 'gateway')) {
      const response = await fetch(`${running.get(gateway)!.url}/metrics`);
      expect({ gateway, status: response.status }).toEqual({ gateway, status: 200 });
      expect(await response.text()).toMatch(/^# TYPE vikno_/m);
    }
  });

  itWithProgram('haproxy', ['-v'])('balances requests over both gateways with deploy/haproxy.cfg, and hides their metrics', async () => {
    const binds = new Map<string, number>([['8080', await freePort()], ['8405', await freePort()]]);
    const gateways = nodeServices(config, 'gateway');
    const text = readFileSync(path.join(root, 'deploy/haproxy.cfg'), 'utf8')
      .replace(/^(\s*bind\s+):(\d+)/gm, (_all, head: string, port: string) => `${head}127.0.0.1:${binds.get(port)}`)
      .replace(/^(\s*server\s+\S+\s+)(\S+):(\d+)/gm, (_all, head: string, host: string) => `${head}127.0.0.1:${running.get(host)!.port}`);
    const lb = await startHaproxy(text, path.join(work, 'haproxy.cfg'));
    try {
      const front = `http://127.0.0.1:${binds.get('8080')}`;
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(front, '{ gasTariffs { name } }')));
      expect(answers.map((a) => ({ errors: a.errors, tariffs: ((a.data?.gasTariffs as unknown[] | undefined)?.length ?? 0) > 0 })))
        .toEqual(answers.map(() => ({ errors: undefined, tariffs: true })));
      expect((await fetch(`${front}/metrics`)).status).toBe(404);
      expect((await fetch(`${front}/healthz`)).status).toBe(200);
      const monitor = `http://127.0.0.1:${binds.get('8405')}`;
      expect((await fetch(`${monitor}/healthz`)).status).toBe(200);
      const exported = await (await fetch(`${monitor}/metrics`)).text();
      const served = (server: string) => [...exported.matchAll(new RegExp(`^haproxy_server_http_responses_total\\{[^}]*proxy="gateways",server="${server}",code="2xx"[^}]*\\} (\\d+)`, 'gm'))]
        .reduce((sum, m) => sum + Number(m[1]), 0);
      expect(Object.fromEntries(gateways.map((g) => [g, served(g) > 0]))).toEqual(Object.fromEntries(gateways.map((g) => [g, true])));
    } finally {
      await stopService(lb);
    }
  });
});
