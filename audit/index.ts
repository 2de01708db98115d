/** The access trail: who looked at whose data, when, why and with what result (README, "Access trail"). */
export { openTrail, trailOptionsFromEnv, createSubjectHash, defaultTrailDir, TrailConfigError } from './open.js';
export type { OpenTrailOptions, OpenedTrail } from './open.js';
export { createTrail, encodeCursor, TrailKeyError } from './trail.js';
export type { Trail, TrailLookup, TrailOptions, TrailPage, TrailPageOptions } from './trail.js';
export { CITIZEN_PORTAL, GENESIS_HASH, canonicalize, hashRecord } from './record.js';
export type { Actor, EntryActor, Outcome, PartnerOutcome, TrailEntry, TrailRecord } from './record.js';
export { TrailSealKeyError } from './seal.js';
export type { Checkpoint } from './seal.js';
export type { BreakReason, VerifyResult } from './verify.js';
export { createSecurityLog } from './security-log.js';
export type { SecurityEvent, SecurityLog, SecurityLogOptions, StoredSecurityEvent } from './security-log.js';
export { createPgClient, createPgliteClient } from './sql-client.js';
export type { SqlClient, SqlQuery } from './sql-client.js';
