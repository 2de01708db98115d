import { createHash } from 'node:crypto';
import { MAX_TEXT } from '../domain/text.js';

/**
 * One record of the access trail: a look-up of a person's data (who, when, whose data, which
 * registries, why, with what result: what a registry's own message log keeps of each call, and
 * what a citizen may ask to see), chained to the record before it.
 */

/**
 * Who looked: a member of staff at a centre's desk, or the citizen through the portal. `unknown`
 * (a caller the gateway could not identify) is only read, in records of the first trail: such
 * refusals now go to the security log (audit/security-log.ts), never to a citizen's trail.
 */
export type Actor = { kind: 'staff'; staffId: string; centre: string } | { kind: 'citizen' } | { kind: 'unknown' };
export type EntryActor = Exclude<Actor, { kind: 'unknown' }>;
export const ACTOR_KINDS: readonly EntryActor['kind'][] = ['staff', 'citizen'];

export type PartnerOutcome = { id: string; outcome: 'ANSWERED' | 'STALE' | (string & {}) };

/**
 * A look-up's outcome. PENDING is an opening record's: written before any partner is asked, then
 * completed by a record that `refers` to it (README, "Access trail": record first, then ask).
 */
export type Outcome = 'PENDING' | 'ANSWERED' | 'PARTIAL' | 'REFUSED' | 'FAILED';
export const OUTCOMES: readonly Outcome[] = ['PENDING', 'ANSWERED', 'PARTIAL', 'REFUSED', 'FAILED'];

/**
 * What a record is about: a look-up (LOOKUP: data read) or the issuance of a registry document
 * (ISSUANCE: an extract issued on the principal's request, with the purpose stated for it).
 * Records written before format 3 carry none and are look-ups.
 */
export type Action = 'LOOKUP' | 'ISSUANCE';
export const ACTIONS: readonly Action[] = ['LOOKUP', 'ISSUANCE'];

/** The institution a citizen's own look-ups are shown under. */
export const CITIZEN_PORTAL = 'Портал громадянина';

/**
 * What the caller hands to `append`: `subject` is the looked-up person's tax id. A look-up is one
 * record (refers null, its final outcome) or two: an opening (refers null, outcome PENDING) and a
 * completion whose `refers` is the opening's seq.
 */
export interface TrailEntry {
  /** LOOKUP unless told otherwise; a completion says what its opening said. */
  action?: Action;
  actor: EntryActor;
  subject: string;
  institution: string;
  official?: string | null;
  purpose?: string | null;
  operation?: string | null;
  domains?: readonly string[];
  partners?: readonly PartnerOutcome[];
  outcome: Outcome;
  refusal?: string | null;
  refers?: number | null;
}

/**
 * A stored record. `subject` is the keyed hash of the tax id (never the tax id itself), so the
 * records can be verified without the trail key and a copy of the database does not say whose
 * data each record is about.
 */
export interface TrailRecord {
  seq: number;
  at: string;
  /** LOOKUP for every record written before format 3. */
  action: Action;
  actor: Actor;
  subject: string;
  institution: string;
  official: string | null;
  purpose: string | null;
  operation: string | null;
  domains: string[];
  partners: PartnerOutcome[];
  outcome: Outcome;
  refusal: string | null;
  /** The seq of the opening record this record completes; null for an opening or single record. */
  refers: number | null;
  prevHash: string;
  hash: string;
  /**
   * HMAC-SHA256 of `hash` under the seal key, which the database does not hold (audit/seal.ts);
   * null only for records written before sealing existed, and only before the first sealed one.
   */
  seal: string | null;
}

/** What a record's hash is taken over. */
export type ChainedRecord = Omit<TrailRecord, 'hash' | 'seal'>;

/** The `prevHash` of record #1. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Version of the canonical form below; part of every hash, so one form cannot be taken for another.
 * Format 1 (the first trail) had no `refers`, format 2 no `action`; records are written in format 3.
 * A format-2 record still verifies, as the format-3 LOOKUP it is, and a format-1 record as the
 * format-2 record with `refers: null` it is. An ISSUANCE verifies only in format 3: a record that
 * says it issued something was hashed saying so.
 */
export type Format = 1 | 2 | 3;
export const FORMAT: Format = 3;

/**
 * The canonical serialization a record's hash is taken over: JSON (`JSON.stringify`, no spaces)
 * of an object holding every field except `hash` and `seal`, plus `v` (the format version), with
 * object keys in ascending code-unit order at every level and `null` for absent values:
 *
 *   {"action":"LOOKUP"|"ISSUANCE","actor":{"centre":…,"kind":"staff","staffId":…} | {"kind":"citizen"},"at":"YYYY-MM-DDTHH:mm:ss.sssZ",
 *    "domains":[… as stored],"institution":…,"official":…,"operation":…,"outcome":…,
 *    "partners":[{"id":…,"outcome":…} … as stored],"prevHash":…,"purpose":…,"refers":<integer>|null,
 *    "refusal":…,"seq":<integer>,"subject":<subject hash>,"v":3}
 *
 * (format 2: the same without "action", and "v":2; format 1: also without "refers", and "v":1). hash = lowercase hex SHA-256 of the UTF-8
 * bytes of that text. `seq` and `prevHash` are inside, so a record cannot be moved, and nothing
 * before it changed, without its hash changing.
 */
export function canonicalize(record: ChainedRecord, format: Format = FORMAT): string {
  // Written out in that key order rather than sorted at run time: verifying millions of records
  // is mostly this function. Values come as stored, so a tampered row still serializes (and fails).
  const j = (value: unknown) => JSON.stringify(value ?? null);
  const a = record.actor as Partial<Record<'kind' | 'staffId' | 'centre', unknown>>;
  const actor = a.kind === 'staff'
    ? `{"centre":${j(a.centre)},"kind":"staff","staffId":${j(a.staffId)}}`
    : `{"kind":${j(a.kind)}}`;
  const partners = Array.isArray(record.partners)
    ? `[${record.partners.map((p) => `{"id":${j(p?.id)},"outcome":${j(p?.outcome)}}`).join(',')}]`
    : j(record.partners);
  return (format === 3 ? `{"action":${j(record.action)},` : '{')
    + `"actor":${actor},"at":${j(record.at)},"domains":${j(record.domains)},"institution":${j(record.institution)}`
    + `,"official":${j(record.official)},"operation":${j(record.operation)},"outcome":${j(record.outcome)}`
    + `,"partners":${partners},"prevHash":${j(record.prevHash)},"purpose":${j(record.purpose)}`
    + (format >= 2 ? `,"refers":${j(record.refers)}` : '')
    + `,"refusal":${j(record.refusal)},"seq":${j(record.seq)},"subject":${j(record.subject)},"v":${format}}`;
}

export function hashRecord(record: ChainedRecord, format: Format = FORMAT): string {
  return createHash('sha256').update(canonicalize(record, format), 'utf8').digest('hex');
}

/**
 * Whether `hash` is the record's hash in a format it may have been written in: format 3; format 2
 * for a record format 2 could express (a LOOKUP); format 1 for one format 1 could (also no
 * `refers`, no PENDING).
 */
export function hashMatches(record: ChainedRecord, hash: string): boolean {
  if (hashRecord(record) === hash) return true;
  if (record.action !== 'LOOKUP') return false;
  if (hashRecord(record, 2) === hash) return true;
  return record.refers == null && record.outcome !== 'PENDING' && hashRecord(record, 1) === hash;
}

/** Checks an entry the way DataLoader checks its options: a TypeError naming the bad value. */
export function checkEntry(entry: TrailEntry): void {
  const text = (name: string, v: unknown, nullable: boolean) => {
    if (typeof v === 'string' || (nullable && (v === null || v === undefined))) return;
    throw new TypeError(`trail entry: ${name} must be a string${nullable ? ' or null' : ''}, got ${JSON.stringify(v)}`);
  };
  const actor = entry.actor as Partial<Record<'kind' | 'staffId' | 'centre', unknown>> | undefined;
  if (actor?.kind === 'staff') {
    text('actor.staffId', actor.staffId, false);
    text('actor.centre', actor.centre, false);
  } else if (!ACTOR_KINDS.includes(actor?.kind as EntryActor['kind'])) {
    throw new TypeError(`trail entry: actor.kind must be one of ${ACTOR_KINDS.join(', ')}, got ${JSON.stringify(actor?.kind)}`);
  }
  if (entry.action !== undefined && !ACTIONS.includes(entry.action)) {
    throw new TypeError(`trail entry: action must be one of ${ACTIONS.join(', ')}, got ${JSON.stringify(entry.action)}`);
  }
  text('subject', entry.subject, false);
  text('institution', entry.institution, false);
  for (const name of ['official', 'purpose', 'operation', 'refusal'] as const) text(name, entry[name], true);
  // The last line of defence: callers check text first (domain/text.ts), so only length is checked here.
  const bounded: Array<[string, unknown]> = [['institution', entry.institution], ['official', entry.official],
    ['purpose', entry.purpose], ['operation', entry.operation], ['actor.staffId', actor?.staffId], ['actor.centre', actor?.centre]];
  for (const [name, v] of bounded) {
    const length = typeof v === 'string' && v.length > MAX_TEXT ? [...v].length : 0;
    if (length > MAX_TEXT) throw new TypeError(`trail entry: ${name} must be at most ${MAX_TEXT} characters, got ${length}`);
  }
  (entry.domains ?? []).forEach((d, i) => text(`domains[${i}]`, d, false));
  (entry.partners ?? []).forEach((p, i) => { text(`partners[${i}].id`, p?.id, false); text(`partners[${i}].outcome`, p?.outcome, false); });
  if (!OUTCOMES.includes(entry.outcome)) {
    throw new TypeError(`trail entry: outcome must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(entry.outcome)}`);
  }
  const refers = entry.refers ?? null;
  if (refers !== null && !(Number.isSafeInteger(refers) && refers > 0)) {
    throw new TypeError(`trail entry: refers must be the seq of an opening record or null, got ${JSON.stringify(refers)}`);
  }
  if (refers !== null && entry.outcome === 'PENDING') {
    throw new TypeError(`trail entry: outcome PENDING is only for an opening record (refers null), got refers ${refers}`);
  }
}

/** An entry as its record holds it, all but its place in the chain (seq, at, prevHash). */
export type PreparedEntry = Omit<ChainedRecord, 'seq' | 'at' | 'prevHash'>;

/**
 * Copies a checked entry into what its record will hold, with its subject's hash. The trail does
 * this when an entry is appended, so what is written is what was checked (a caller changing the
 * entry afterwards changes nothing), and the lock is not held for it.
 */
export function prepareEntry(entry: TrailEntry, subject: string): PreparedEntry {
  const actor: EntryActor = entry.actor.kind === 'staff'
    ? { kind: 'staff', staffId: entry.actor.staffId, centre: entry.actor.centre }
    : { kind: entry.actor.kind };
  return {
    action: entry.action ?? 'LOOKUP', actor, subject, institution: entry.institution,
    official: entry.official ?? null, purpose: entry.purpose ?? null, operation: entry.operation ?? null,
    domains: [...(entry.domains ?? [])], partners: (entry.partners ?? []).map((p) => ({ id: p.id, outcome: p.outcome })),
    outcome: entry.outcome, refusal: entry.refusal ?? null, refers: entry.refers ?? null,
  };
}

/** The record a prepared entry becomes at position `seq` after `prevHash`, with its hash; `seal` is the caller's. */
export function chainPrepared(prepared: PreparedEntry, link: { seq: number; at: Date; prevHash: string }): TrailRecord {
  const body: ChainedRecord = { seq: link.seq, at: link.at.toISOString(), ...prepared, prevHash: link.prevHash };
  return { ...body, hash: hashRecord(body), seal: null };
}

/** The record an entry becomes at position `seq` after `prevHash`, with its hash; `seal` is the caller's. */
export function chainRecord(entry: TrailEntry, link: { seq: number; at: Date; subject: string; prevHash: string }): TrailRecord {
  return chainPrepared(prepareEntry(entry, link.subject), link);
}
