import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../platform/clock.js';
import { projectRoot } from '../domain/project-root.js';
import { checkReplicaId } from './checkpoints.js';
import { DEFAULT_TABLE } from './schema.js';
import { MIN_SEAL_KEY } from './seal.js';
import { createSecurityLog, type SecurityLog } from './security-log.js';
import { createPgClient, createPgliteClient, type SqlClient } from './sql-client.js';
import { createTrail, type Trail } from './trail.js';

export interface OpenTrailOptions {
  /** PostgreSQL when set; the embedded store (PGlite, no server) otherwise. */
  databaseUrl?: string;
  /** The embedded store's folder (default `<project root>/.vikno/trail`). */
  dataDir?: string;
  /**
   * The key subjects are hashed under (at least 16 characters). Required with a database URL:
   * every replica must share it. The embedded store makes one up and keeps it beside its data.
   */
  trailKey?: string;
  /**
   * The key records are sealed and checkpoints signed with (at least 32 characters), kept where
   * the database's owner cannot read it. Required with a database URL (the same on every replica,
   * and for verifying). The embedded store makes one up and keeps it beside its data.
   */
  sealKey?: string;
  /**
   * Where the signed checkpoints of the head are written: storage the database's owner cannot
   * rewrite. Required with a database URL; the embedded store's default is beside its data.
   */
  checkpointDir?: string;
  /** Names this process's checkpoint file (default: the host name). */
  replicaId?: string;
  /** Open only to verify the trail, which needs no TRAIL_KEY (but the seal key and checkpoints). */
  verifyOnly?: boolean;
  clock?: Clock;
  table?: string;
}

export interface OpenedTrail extends Trail {
  store: 'postgres' | 'embedded';
  /** The data folder, or the database URL without its password. */
  location: string;
  checkpointDir: string;
  /** Refusals of callers who could not be identified, on the same database (`<table>_security`). */
  securityLog: SecurityLog;
  /** Whether the trail's database answers within `timeoutMs` (default 1 s): readiness. Never throws. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export class TrailConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrailConfigError';
  }
}

export const defaultTrailDir = () => path.join(projectRoot(import.meta.dirname), '.vikno', 'trail');

/** HMAC-SHA256 of a tax id under the trail key, base64url: the trail's only trace of whose data it was. */
export function createSubjectHash(trailKey: string): (taxId: string) => string {
  if (trailKey.length < 16) throw new TrailConfigError('TRAIL_KEY: must be at least 16 characters');
  return (taxId) => createHmac('sha256', trailKey).update(taxId, 'utf8').digest('base64url');
}

/**
 * The options the processes and scripts open the trail with: DATABASE_URL, TRAIL_KEY,
 * TRAIL_SEAL_KEY, TRAIL_CHECKPOINT_DIR, TRAIL_REPLICA_ID, TRAIL_DIR.
 */
export function trailOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenTrailOptions {
  return {
    databaseUrl: env.DATABASE_URL || undefined, trailKey: env.TRAIL_KEY || undefined, dataDir: env.TRAIL_DIR || undefined,
    sealKey: env.TRAIL_SEAL_KEY || undefined, checkpointDir: env.TRAIL_CHECKPOINT_DIR || undefined,
    replicaId: env.TRAIL_REPLICA_ID || undefined,
  };
}

export async function openTrail(options: OpenTrailOptions): Promise<OpenedTrail> {
  const clock = options.clock ?? systemClock;
  let client: SqlClient;
  let location: string;
  let release = () => {};
  const subjectHash = (key: string | undefined) =>
    key ? createSubjectHash(key) : () => { throw new TrailConfigError('TRAIL_KEY: not set'); };
  let hashSubject = subjectHash(options.trailKey);
  let sealKey = options.sealKey;
  let checkpointDir = options.checkpointDir;
  if (sealKey !== undefined && sealKey.length < MIN_SEAL_KEY) throw new TrailConfigError(`TRAIL_SEAL_KEY: must be at least ${MIN_SEAL_KEY} characters`);
  const replicaId = options.replicaId ?? hostname();
  try {
    checkReplicaId(replicaId);
  } catch (error) {
    throw new TrailConfigError((error as Error).message);
  }
  if (options.databaseUrl) {
    if (!options.trailKey && !options.verifyOnly) throw new TrailConfigError('TRAIL_KEY: required with DATABASE_URL (the same on every replica)');
    if (!sealKey) throw new TrailConfigError('TRAIL_SEAL_KEY: required with DATABASE_URL (the same on every replica, and to verify), kept outside the database');
    if (!checkpointDir) throw new TrailConfigError('TRAIL_CHECKPOINT_DIR: required with DATABASE_URL, on storage the database\'s owner cannot rewrite');
    const url = new URL(options.databaseUrl);
    if (url.password) url.password = '***';
    location = url.toString();
    client = createPgClient(options.databaseUrl);
  } else {
    location = path.resolve(options.dataDir ?? defaultTrailDir());
    mkdirSync(path.dirname(location), { recursive: true, mode: 0o700 });
    release = lockDataDir(location);
    try {
      if (!options.trailKey) hashSubject = subjectHash(embeddedKey(`${location}.key`));
      sealKey ??= embeddedKey(`${location}.seal-key`);
      checkpointDir ??= `${location}-checkpoints`;
      client = await createPgliteClient(location);
    } catch (error) {
      release();
      throw error;
    }
  }
  const trail = createTrail({ client, hashSubject, clock, table: options.table, sealKey: sealKey!, checkpointDir: checkpointDir!, replicaId });
  const securityLog = createSecurityLog({ client, clock, table: `${options.table ?? DEFAULT_TABLE}_security` });
  try {
    await trail.migrate({ checkKey: Boolean(options.trailKey) || !options.databaseUrl });
    if (!options.verifyOnly) await securityLog.migrate();
  } catch (error) {
    await client.close().catch(() => {});
    release();
    throw error;
  }
  return {
    ...trail,
    store: options.databaseUrl ? 'postgres' : 'embedded',
    location,
    checkpointDir: path.resolve(checkpointDir!),
    securityLog,
    ping: (timeoutMs) => client.ping(timeoutMs),
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/** Reads one of the embedded store's keys, or makes one up (owner-only file) on first start. */
function embeddedKey(file: string): string {
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file names the owner; one left by a process that has died is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (owner && isAlive(owner)) {
        throw new TrailConfigError(`the embedded access trail ${dir} is in use by process ${owner}; set DATABASE_URL to share a trail`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new TrailConfigError(`the embedded access trail ${dir} could not be locked`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
