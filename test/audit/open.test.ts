import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTrail, TrailConfigError } from '../../audit/open.js';
import { GENESIS_HASH } from '../../audit/record.js';
import { createPgClient, createPgliteClient } from '../../audit/sql-client.js';
import { runTrailVerify } from '../../audit/verify-command.js';
import { CITIZEN, OTHER, PGLITE_TIMEOUT, staffLookup, steppingClock, TRAIL_KEY, uniqueSchema, whenDatabase } from './stores.js';

describe('opening the embedded access trail', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'vikno-open-'));
    dir = path.join(root, 'trail');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps records, chain and key across a restart, and the next record continues the chain', async () => {
    let trail = await openTrail({ dataDir: dir, clock: steppingClock() });
    expect(trail).toMatchObject({ store: 'embedded', location: dir });
    const before = [await trail.append(staffLookup(CITIZEN, 1)), await trail.append(staffLookup(OTHER, 2)), await trail.append(staffLookup(CITIZEN, 3))];
    await trail.close();

    expect(statSync(`${dir}.key`).mode & 0o777).toBe(0o600);
    const key = readFileSync(`${dir}.key`, 'utf8');
    trail = await openTrail({ dataDir: dir, clock: steppingClock('2026-01-16T08:00:00.000Z') });
    expect(await trail.forSubject(CITIZEN)).toMatchObject({ records: [before[2], before[0]], hasNextPage: false });
    expect(await trail.verify()).toEqual({ ok: true, count: 3, head: before[2].hash });
    const next = await trail.append(staffLookup(OTHER, 4));
    expect(next).toMatchObject({ seq: 4, at: '2026-01-16T08:00:00.000Z', prevHash: before[2].hash });
    expect(await trail.verify()).toEqual({ ok: true, count: 4, head: next.hash });
    await trail.close();
    expect(readFileSync(`${dir}.key`, 'utf8')).toBe(key);
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

  it('refuses a key other than the one the folder was started with', async () => {
    await (await openTrail({ dataDir: dir })).close();
    await expect(openTrail({ dataDir: dir, trailKey: TRAIL_KEY })).rejects.toThrow('TRAIL_KEY is not the key this trail was written with');
  }, PGLITE_TIMEOUT);

  it('requires TRAIL_KEY with a database URL, and checks its length', async () => {
    await expect(openTrail({ databaseUrl: 'postgres://127.0.0.1:1/none' })).rejects.toThrow(
      new TrailConfigError('TRAIL_KEY: required with DATABASE_URL (the same on every replica)'));
    await expect(openTrail({ dataDir: dir, trailKey: 'short' })).rejects.toThrow(new TrailConfigError('TRAIL_KEY: must be at least 16 characters'));
  }, PGLITE_TIMEOUT);

  it('prints what trail:verify prints: intact, then the first broken link', async () => {
    const lines: string[] = [];
    const env = { TRAIL_DIR: dir };
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(0);
    const trail = await openTrail({ dataDir: dir });
    for (let n = 0; n < 4; n++) await trail.append(staffLookup(CITIZEN, n));
    await trail.close();
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(0);

    const client = await createPgliteClient(dir);
    await client.transaction(async (tx) => {
      await tx.query('ALTER TABLE access_trail DISABLE TRIGGER USER');
      await tx.query('DELETE FROM access_trail WHERE seq = 2');
    });
    await client.close();
    expect(await runTrailVerify(env, (l) => lines.push(l))).toBe(1);
    expect(await runTrailVerify({ DATABASE_URL: 'not a url' }, (l) => lines.push(l))).toBe(2);
    expect(lines).toEqual([
      'trail intact: 0 records',
      'trail intact: 4 records',
      'trail broken at record #3: removed (record #2 is missing: #3 is chained to a record that is not in the trail)',
      'trail not verified: Invalid URL',
    ]);
  }, PGLITE_TIMEOUT);
});

whenDatabase('opening the access trail', (url) => {
  const schema = uniqueSchema();
  afterAll(async () => {
    const client = createPgClient(url);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.close();
  });

  it('keeps records and chain across a restart, and trail:verify reads them without the key', async () => {
    const options = { databaseUrl: url, trailKey: TRAIL_KEY, table: `${schema}.trail` };
    let trail = await openTrail({ ...options, clock: steppingClock() });
    expect(trail.store).toBe('postgres');
    const first = await trail.append(staffLookup(CITIZEN));
    await trail.close();
    trail = await openTrail({ ...options, clock: steppingClock() });
    expect(await trail.forSubject(CITIZEN)).toEqual({ records: [first], hasNextPage: false, endCursor: expect.any(String) });
    expect(await trail.append(staffLookup(OTHER))).toMatchObject({ seq: 2, prevHash: first.hash });
    await trail.close();
    const verifier = await openTrail({ databaseUrl: url, table: `${schema}.trail`, verifyOnly: true });
    expect(await verifier.verify()).toMatchObject({ ok: true, count: 2 });
    await expect(verifier.forSubject(CITIZEN)).rejects.toThrow('TRAIL_KEY: not set');
    await verifier.close();
    expect(first.prevHash).toBe(GENESIS_HASH);
  });
});
