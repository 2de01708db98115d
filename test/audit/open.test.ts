import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { createSubjectHash, openTrail, TrailConfigError, trailOptionsFromEnv } from '../../audit/open.js';
import { chainRecord, GENESIS_HASH, hashRecord, type TrailRecord } from '../../audit/record.js';
import { createPgClient, createPgliteClient } from '../../audit/sql-client.js';
import { runTrailVerify } from '../../audit/verify-command.js';
import { seedEmbeddedStore } from '../helpers/trail.js';
import { asLookup, CITIZEN, OTHER, PGLITE_TIMEOUT, SEAL_KEY, staffLookup, steppingClock, TRAIL_KEY, uniqueSchema, whenDatabase } from './stores.js';

/** The first trail's tables, as its migration made them (no refers, no seal, no seal check). */
const FIRST_ROUND_DDL = [
  `CREATE TABLE access_trail (seq bigint PRIMARY KEY, at timestamptz NOT NULL, actor_kind text NOT NULL, actor_staff_id text,
     actor_centre text, subject_hash text NOT NULL, institution text NOT NULL, official text, purpose text, operation text,
     domains text[] NOT NULL, partners jsonb NOT NULL, outcome text NOT NULL, refusal text, prev_hash text NOT NULL, hash text NOT NULL)`,
  'CREATE INDEX access_trail_subject_seq ON access_trail (subject_hash, seq DESC)',
  'CREATE TABLE access_trail_meta (id int PRIMARY KEY CHECK (id = 1), key_check text NOT NULL)',
];

describe('opening the embedded access trail', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'vikno-open-'));
    dir = path.join(root, 'trail');
    seedEmbeddedStore(dir);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates its files in an empty folder, keeps records, chain and key across a restart, and the next record continues the chain', async () => {
    rmSync(dir, { recursive: true }); // from nothing: this one runs initdb
    let trail = await openTrail({ dataDir: dir, clock: steppingClock() });
    expect(trail).toMatchObject({ store: 'embedded', location: dir });
    const before = [await trail.append(staffLookup(CITIZEN, 1)), await trail.append(staffLookup(OTHER, 2)), await trail.append(staffLookup(CITIZEN, 3))];
    await trail.close();

    expect(statSync(`${dir}.key`).mode & 0o777).toBe(0o600);
    expect(statSync(`${dir}.seal-key`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${dir}.seal-key`, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(`${dir}-checkpoints/${hostname()}.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3]);
    const key = readFileSync(`${dir}.key`, 'utf8');
    const sealKey = readFileSync(`${dir}.seal-key`, 'utf8');
    trail = await openTrail({ dataDir: dir, clock: steppingClock('2026-01-16T08:00:00.000Z') });
    expect(await trail.forSubject(CITIZEN)).toMatchObject({ records: [asLookup(before[2]), asLookup(before[0])], hasNextPage: false });
    expect(await trail.verify()).toEqual({ ok: true, count: 3, head: before[2].hash, sealed: 3, checkpoints: 3 });
    const next = await trail.append(staffLookup(OTHER, 4));
    expect(next).toMatchObject({ seq: 4, at: '2026-01-16T08:00:00.000Z', prevHash: before[2].hash });
    expect(await trail.verify()).toEqual({ ok: true, count: 4, head: next.hash, sealed: 4, checkpoints: 4 });
    await trail.close();
    expect(readFileSync(`${dir}.key`, 'utf8')).toBe(key);
    expect(readFileSync(`${dir}.seal-key`, 'utf8')).toBe(sealKey);
  }, PGLITE_TIMEOUT);

  it('refuses a second opening of the same folder while the first is open', async () => {
    const trail = await openTrail({ dataDir: dir });
    try {
      await expect(openTrail({ dataDir: dir })).rejects.toThrow(
        new TrailConfigError(`the embedded access trail ${dir} is in use by process ${process.pid}; set DATABASE_URL to share a trail`));
    } finally {
      await trail.close();
    }
    const again = await openTrail({ dataDir: dir });
    await again.close();
  }, PGLITE_TIMEOUT);

  it('refuses a key or seal key other than the one the folder was started with', async () => {
    await (await openTrail({ dataDir: dir })).close();
    await expect(openTrail({ dataDir: dir, trailKey: TRAIL_KEY })).rejects.toThrow('TRAIL_KEY is not the key this trail was written with');
    await expect(openTrail({ dataDir: dir, sealKey: SEAL_KEY })).rejects.toThrow(
      'TRAIL_SEAL_KEY is not the key this trail was sealed with: its seals and checkpoints could not be checked');
    // The folder is released after a refused start.
    await (await openTrail({ dataDir: dir })).close();
  }, PGLITE_TIMEOUT);

  it('requires TRAIL_KEY, TRAIL_SEAL_KEY and TRAIL_CHECKPOINT_DIR with a database URL, also to verify, and checks them', async () => {
    const databaseUrl = 'postgres://127.0.0.1:1/none';
    await expect(openTrail({ databaseUrl })).rejects.toThrow(
      new TrailConfigError('TRAIL_KEY: required with DATABASE_URL (the same on every replica)'));
    for (const verifyOnly of [false, true]) {
      await expect(openTrail({ databaseUrl, trailKey: TRAIL_KEY, verifyOnly })).rejects.toThrow(new TrailConfigError(
        'TRAIL_SEAL_KEY: required with DATABASE_URL (the same on every replica, and to verify), kept outside the database'));
      await expect(openTrail({ databaseUrl, trailKey: TRAIL_KEY, sealKey: SEAL_KEY, verifyOnly })).rejects.toThrow(new TrailConfigError(
        'TRAIL_CHECKPOINT_DIR: required with DATABASE_URL, on storage the database\'s owner cannot rewrite'));
    }
    await expect(openTrail({ dataDir: dir, trailKey: 'short' })).rejects.toThrow(new TrailConfigError('TRAIL_KEY: must be at least 16 characters'));
    await expect(openTrail({ dataDir: dir, sealKey: 'x'.repeat(31) })).rejects.toThrow(new TrailConfigError('TRAIL_SEAL_KEY: must be at least 32 characters'));
    await expect(openTrail({ dataDir: dir, replicaId: '../gw' })).rejects.toThrow(
      new TrailConfigError('TRAIL_REPLICA_ID: expected 1 to 64 letters, digits, \'.\', \'_\' or \'-\', got "../gw"'));
  }, PGLITE_TIMEOUT);

  it('reads the trail\'s settings from the environment', () => {
    expect(trailOptionsFromEnv({
      DATABASE_URL: 'postgres://db/vikno', TRAIL_KEY: 'k', TRAIL_SEAL_KEY: 's', TRAIL_CHECKPOINT_DIR: '/checkpoints', TRAIL_REPLICA_ID: 'gw-1', TRAIL_DIR: '/trail',
    })).toEqual({ databaseUrl: 'postgres://db/vikno', trailKey: 'k', sealKey: 's', checkpointDir: '/checkpoints', replicaId: 'gw-1', dataDir: '/trail' });
    expect(trailOptionsFromEnv({ TRAIL_SEAL_KEY: '' })).toEqual({
      databaseUrl: undefined, trailKey: undefined, sealKey: undefined, checkpointDir: undefined, replicaId: undefined, dataDir: undefined,
    });
  });

  it('opens an embedded trail the first round wrote, keeps its records, and seals from there on', async () => {
    const hashSubject = createSubjectHash(TRAIL_KEY);
    const client = await createPgliteClient(dir);
    for (const statement of FIRST_ROUND_DDL) await client.query(statement);
    await client.query('INSERT INTO access_trail_meta (id, key_check) VALUES (1, $1)', [hashSubject('\u0000vikno trail key check')]);
    const legacy: TrailRecord[] = [];
    for (const seq of [1, 2]) {
      const record = chainRecord(staffLookup(CITIZEN, seq), {
        seq, at: new Date(Date.UTC(2025, 5, 1, 9, seq)), subject: hashSubject(CITIZEN), prevHash: legacy[seq - 2]?.hash ?? GENESIS_HASH,
      });
      legacy.push({ ...record, hash: hashRecord(record, 1) });
      const r = legacy[seq - 1];
      await client.query(`INSERT INTO access_trail VALUES ($1, $2, 'staff', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14)`, [
        r.seq, r.at, 's-10' + seq, 'cnap-kryvyi-rih', r.subject, r.institution, r.official, r.purpose, r.operation, r.domains,
        JSON.stringify(r.partners), r.outcome, r.prevHash, r.hash]);
    }
    await client.close();

    const trail = await openTrail({ dataDir: dir, trailKey: TRAIL_KEY, clock: steppingClock() });
    try {
      expect(await trail.verify()).toEqual({ ok: true, count: 2, head: legacy[1].hash, sealed: 0, checkpoints: 0 });
      const next = await trail.append(staffLookup(CITIZEN, 3));
      expect(next).toMatchObject({ seq: 3, prevHash: legacy[1].hash, seal: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect((await trail.forSubject(CITIZEN)).records.map((r) => [r.seq, r.purpose, r.completion])).toEqual([
        [3, 'талон А-003', null], [2, 'талон А-002', null], [1, 'талон А-001', null]]);
      expect(await trail.verify()).toEqual({ ok: true, count: 3, head: next.hash, sealed: 1, checkpoints: 1 });
    } finally {
      await trail.close();
    }
  }, PGLITE_TIMEOUT);

  it('prints what trail:verify prints: intact, then the first broken link', async () => {
    const lines: string[] = [];
    const env = { TRAIL_DIR: dir, TRAIL_REPLICA_ID: 'gw-1' };
    const checkpoints = `${dir}-checkpoints`;
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(0);
    const trail = await openTrail({ dataDir: dir, replicaId: 'gw-1' });
    for (let n = 0; n < 4; n++) await trail.append(staffLookup(CITIZEN, n));
    await trail.close();
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(0);

    const tamper = async (sql: string) => {
      const client = await createPgliteClient(dir);
      await client.transaction(async (tx) => {
        await tx.query('ALTER TABLE access_trail DISABLE TRIGGER USER');
        await tx.query(sql);
      });
      await client.close();
    };
    await tamper('DELETE FROM access_trail WHERE seq = 4');
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(1);
    await tamper('DELETE FROM access_trail WHERE seq = 2');
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(1);
    rmSync(checkpoints, { recursive: true });
    await tamper('DELETE FROM access_trail WHERE seq > 1');
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(1);
    expect(await runTrailVerify({ ...env, TRAIL_SEAL_KEY: SEAL_KEY }, (l) => lines.push(l))).toBe(2);
    expect(await runTrailVerify({ DATABASE_URL: 'not a url', TRAIL_SEAL_KEY: SEAL_KEY, TRAIL_CHECKPOINT_DIR: checkpoints }, (l) => lines.push(l))).toBe(2);
    expect(lines).toEqual([
      `trail intact: 0 records, 0 seals and 0 checkpoints checked (checkpoints in ${checkpoints})`,
      `trail intact: 4 records, 4 seals and 4 checkpoints checked (checkpoints in ${checkpoints})`,
      'trail broken at record #4: removed (records after #3 were removed: checkpoint (file gw-1.jsonl, line 4) recorded #4)',
      'trail broken at record #3: removed (record #2 is missing: #3 is chained to a record that is not in the trail)',
      `trail broken: no checkpoint in ${checkpoints} records this trail, though 1 of its records are sealed: its checkpoints were removed, or this is not its checkpoint directory`,
      'trail not verified: TRAIL_SEAL_KEY is not the key this trail was sealed with: its seals and checkpoints could not be checked',
      'trail not verified: Invalid URL',
    ]);
  }, PGLITE_TIMEOUT);
});

whenDatabase('opening the access trail', (url) => {
  const schema = uniqueSchema();
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'vikno-open-pg-')); });
  afterAll(async () => {
    const client = createPgClient(url);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps records and chain across a restart, and verifies them without TRAIL_KEY but with the seal key', async () => {
    const checkpointDir = path.join(dir, 'restart');
    const options = { databaseUrl: url, trailKey: TRAIL_KEY, sealKey: SEAL_KEY, checkpointDir, replicaId: 'gw-1', table: `${schema}.trail` };
    let trail = await openTrail({ ...options, clock: steppingClock() });
    expect(trail).toMatchObject({ store: 'postgres', checkpointDir });
    const first = await trail.append(staffLookup(CITIZEN));
    await trail.close();
    trail = await openTrail({ ...options, clock: steppingClock() });
    expect(await trail.forSubject(CITIZEN)).toEqual({ records: [asLookup(first)], hasNextPage: false, endCursor: expect.any(String) });
    expect(await trail.append(staffLookup(OTHER))).toMatchObject({ seq: 2, prevHash: first.hash });
    await trail.close();
    const verifier = await openTrail({ databaseUrl: url, table: `${schema}.trail`, sealKey: SEAL_KEY, checkpointDir, verifyOnly: true });
    expect(await verifier.verify()).toMatchObject({ ok: true, count: 2, sealed: 2, checkpoints: 2 });
    await expect(verifier.forSubject(CITIZEN)).rejects.toThrow('TRAIL_KEY: not set');
    await verifier.close();
    await expect(openTrail({ databaseUrl: url, table: `${schema}.trail`, sealKey: `${SEAL_KEY}, another`, checkpointDir, verifyOnly: true })).rejects.toThrow(
      'TRAIL_SEAL_KEY is not the key this trail was sealed with');
    expect(first.prevHash).toBe(GENESIS_HASH);
  });

  it('keeps one chain for two replicas, each writing its own checkpoint file, and one security log beside it', async () => {
    const checkpointDir = path.join(dir, 'replicas');
    const options = { databaseUrl: url, trailKey: TRAIL_KEY, sealKey: SEAL_KEY, checkpointDir, table: `${schema}.shared` };
    const replicas = [await openTrail({ ...options, replicaId: 'gw-1' }), await openTrail({ ...options, replicaId: 'gw-2' })];
    try {
      const written = await Promise.all(Array.from({ length: 20 }, (_, n) => replicas[n % 2].append(staffLookup(n % 3 ? CITIZEN : OTHER, n))));
      expect(written.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
      const lines = (id: string) => readFileSync(path.join(checkpointDir, `${id}.jsonl`), 'utf8').trim().split('\n').length;
      const result = await replicas[0].verify();
      expect(result).toEqual({ ok: true, count: 20, head: expect.any(String), sealed: 20, checkpoints: lines('gw-1') + lines('gw-2') });

      expect(await replicas[1].securityLog.record({ address: '192.0.2.7', reason: 'UNAUTHENTICATED', method: 'POST', path: '/graphql' })).toBe(true);
      expect(await replicas[0].securityLog.recent(5)).toEqual([
        { n: expect.any(Number), at: expect.any(String), address: '192.0.2.7', reason: 'UNAUTHENTICATED', method: 'POST', path: '/graphql' }]);
      const client = createPgClient(url);
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."shared_security"`).finally(() => client.close());
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
