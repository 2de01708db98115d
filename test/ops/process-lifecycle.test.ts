import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { openTrail } from '../../audit/index.js';
import { projectRoot } from '../../domain/project-root.js';
import { createPopulation } from '../../emulators/population/index.js';
import { claimsFromPrincipal } from '../../identity/principal.js';
import { DEMO_STAFF_PRINCIPAL, TEST_AS_OF, TEST_PURPOSE } from '../helpers/stack.js';
import { seedEmbeddedStore } from '../helpers/trail.js';
import { until } from '../helpers/until.js';

/**
 * `npm start` as an operator runs it (`node dist/stack/main.js`, built first): receiving SIGTERM
 * with look-ups in flight, every client gets its whole answer, the process exits 0, and the
 * embedded trail holds each look-up with its completion; started with Redis unreachable, it stops
 * naming REDIS_URL instead of hanging.
 */

const root = projectRoot();
const ISSUER = 'https://id.sigterm.test/';
const IN_FLIGHT = 8;
const SLOW = ['cadastre-dzk', 'vehicles-mvs'];
const QUERY = `query Overview($taxId: ID!) { citizen(taxId: $taxId) {
  taxId gasAccounts { accountNumber } heatingAccounts { accountNumber } waterAccounts { accountNumber }
  electricityAccounts { accountNumber } landParcels { cadastralNumber } vehicles { vin } } }`;

/** Runs `node dist/stack/main.js` with exactly `env`; what it prints is kept, and added to the suite's log for the personal-data check. */
function startStackProcess(env: Record<string, string>): { child: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const output: string[] = [];
  const child = spawn(process.execPath, ['dist/stack/main.js'], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: string) => {
    output.push(chunk);
    // The start-up banner names the demo citizens and accounts on purpose; everything else must hold no personal data.
    const logged = chunk.split('\n').filter((line) => !line.includes('demo citizens:') && !line.includes('vikno-demo-')).join('\n');
    if (process.env.VIKNO_TEST_LOG_DIR) appendFileSync(path.join(process.env.VIKNO_TEST_LOG_DIR, `${process.pid}-lifecycle.log`), logged);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  return { child, output, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

/** A port nothing listens on now, on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves with the first match of `pattern` in what the process prints. */
function printed(child: ChildProcess, output: string[], pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never printed ${pattern}:\n${output.join('')}`)), timeoutMs);
    const check = () => {
      const found = pattern.exec(output.join(''));
      if (found) { clearTimeout(timer); resolve(found); }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`exited before printing ${pattern}:\n${output.join('')}`)); });
    check();
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'vikno-lifecycle-'));
const children: ChildProcess[] = [];
let issuerEnv: Record<string, string>;
let token: string;

beforeAll(async () => {
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: root });
  // An issuer of the test's own, as an operator configures one (the development issuer would write under .vikno/).
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  issuerEnv = { AUTH_ISSUER: ISSUER, AUTH_PUBLIC_KEY: JSON.stringify(await exportJWK(publicKey)) };
  token = await new SignJWT({ ...claimsFromPrincipal(DEMO_STAFF_PRINCIPAL) }).setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer(ISSUER).setAudience('vikno').setIssuedAt().setExpirationTime('10m').sign(privateKey);
}, 240_000);
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

describe('node dist/stack/main.js receiving SIGTERM with look-ups in flight', () => {
  it('answers every one in full, exits 0, and has recorded each with its completion', async () => {
    seedEmbeddedStore(path.join(work, 'trail'));
    const { child, output, exited } = startStackProcess({
      PORT: '0', LOG_LEVEL: 'warn', TRAIL_DIR: path.join(work, 'trail'),
      POPULATION_SIZE: '300', POPULATION_AS_OF: TEST_AS_OF, ...issuerEnv,
      FAULTS: JSON.stringify(Object.fromEntries(SLOW.map((id) => [id, { latencyMs: 1000 }]))),
    });
    children.push(child);
    const [, gatewayUrl] = await printed(child, output, /POST GraphQL queries to (http:\/\/\S+\/graphql)/);
    const [, vehiclesAdmin] = await printed(child, output, /vehicles-mvs\s+(http:\/\/\S+\/__admin)/);

    // Different people, so no two look-ups share a partner call: each one's call shows it is in flight.
    const taxIds = createPopulation({ seed: 'vikno', size: 300, asOf: TEST_AS_OF }).citizens.slice(0, IN_FLIGHT).map((c) => c.taxId);
    const requests = taxIds.map(async (taxId) => {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent(TEST_PURPOSE) },
        body: JSON.stringify({ query: QUERY, variables: { taxId } }),
      });
      return { status: response.status, body: (await response.json()) as { data?: { citizen: Record<string, unknown> }; errors?: unknown } };
    });
    await until(`${IN_FLIGHT} look-ups are at the vehicles registry`, async () => {
      const stats = (await (await fetch(`${vehiclesAdmin}/stats`)).json()) as { calls: number };
      return stats.calls >= IN_FLIGHT;
    }, { timeoutMs: 20_000 });
    child.kill('SIGTERM');

    const answers = await Promise.all(requests);
    // Whole answers: every field of every domain there, no error.
    expect(answers.map(({ status, body }) => ({
      status, errors: body.errors ?? null, taxId: body.data?.citizen.taxId,
      nullFields: Object.entries(body.data?.citizen ?? {}).filter(([, value]) => value === null).map(([field]) => field),
    }))).toEqual(taxIds.map((taxId) => ({ status: 200, errors: null, taxId, nullFields: [] })));
    expect(await exited).toBe(0);
    expect(output.join('')).toMatch(/SIGTERM: stopping/);

    const trail = await openTrail({ dataDir: path.join(work, 'trail') });
    try {
      const recorded = await Promise.all(taxIds.map(async (taxId) => (await trail.forSubject(taxId)).records.map((r) => ({ outcome: r.outcome, completed: r.completion !== null }))));
      expect(recorded).toEqual(taxIds.map(() => [{ outcome: 'ANSWERED', completed: true }]));
    } finally {
      await trail.close();
    }
  }, 60_000);
});

describe('node dist/stack/main.js started with Redis unreachable', () => {
  it('stops at once naming REDIS_URL, exit code 1, instead of hanging', async () => {
    const port = await freePort();
    const { child, output, exited } = startStackProcess({
      PORT: '0', TRAIL_DIR: path.join(work, 'trail-no-redis'), POPULATION_SIZE: '300', ...issuerEnv,
      REDIS_URL: `redis://127.0.0.1:${port}`, CACHE_KEY_SECRET: 'a cache key secret for this test only, 32+ chars',
    });
    children.push(child);
    expect(await exited).toBe(1);
    expect(output.join('')).toBe(`Vikno did not start:\nREDIS_URL: cannot connect to Redis at 127.0.0.1:${port} within 5 s (connect ECONNREFUSED 127.0.0.1:${port})\n`);
  }, 30_000);
});
