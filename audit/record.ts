import { createHash } from 'node:crypto';

/**
 * One record of the access trail: a look-up of a person's data (DOMAIN.md, "Trust model": who,
 * when, whose data, which registries, why, with what result), chained to the record before it.
 */

/**
 * Who looked: a member of staff at a centre's desk, the citizen through the portal, or a caller
 * the gateway could not identify (recorded when it is refused, so the person sees the attempt).
 */
export type Actor = { kind: 'staff'; staffId: string; centre: string } | { kind: 'citizen' } | { kind: 'unknown' };
export const ACTOR_KINDS: readonly Actor['kind'][] = ['staff', 'citizen', 'unknown'];

export type PartnerOutcome = { id: string; outcome: 'ANSWERED' | 'STALE' | (string & {}) };

export type Outcome = 'ANSWERED' | 'PARTIAL' | 'REFUSED' | 'FAILED';
export const OUTCOMES: readonly Outcome[] = ['ANSWERED', 'PARTIAL', 'REFUSED', 'FAILED'];

/** The institution a citizen's own look-ups are shown under. */
export const CITIZEN_PORTAL = 'Портал громадянина';

/** What the caller hands to `append`: `subject` is the looked-up person's tax id. */
export interface TrailEntry {
  actor: Actor;
  subject: string;
  institution: string;
  official?: string | null;
  purpose?: string | null;
  operation?: string | null;
  domains?: readonly string[];
  partners?: readonly PartnerOutcome[];
  outcome: Outcome;
  refusal?: string | null;
}

/**
 * A stored record. `subject` is the keyed hash of the tax id (never the tax id itself), so the
 * records can be verified without the trail key and a copy of the database does not say whose
 * data each record is about.
 */
export interface TrailRecord {
  seq: number;
  at: string;
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
  prevHash: string;
  hash: string;
}

/** The `prevHash` of record #1. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version of the canonical form below; part of every hash, so a future form cannot be confused with it. */
const FORMAT = 1;

/**
 * The canonical serialization a record's hash is taken over: JSON (`JSON.stringify`, no spaces)
 * of an object holding every field except `hash` plus `v` (the format version, 1), with object
 * keys in ascending code-unit order at every level and `null` for absent values:
 *
 *   {"actor":{"centre":…,"kind":"staff","staffId":…} | {"kind":"citizen"},"at":"YYYY-MM-DDTHH:mm:ss.sssZ",
 *    "domains":[… as stored],"institution":…,"official":…,"operation":…,"outcome":…,
 *    "partners":[{"id":…,"outcome":…} … as stored],"prevHash":…,"purpose":…,"refusal":…,
 *    "seq":<integer>,"subject":<subject hash>,"v":1}
 *
 * hash = lowercase hex SHA-256 of the UTF-8 bytes of that text. `seq` and `prevHash` are inside,
 * so a record cannot be moved, and nothing before it changed, without its hash changing.
 */
export function canonicalize(record: Omit<TrailRecord, 'hash'>): string {
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
  return `{"actor":${actor},"at":${j(record.at)},"domains":${j(record.domains)},"institution":${j(record.institution)}`
    + `,"official":${j(record.official)},"operation":${j(record.operation)},"outcome":${j(record.outcome)}`
    + `,"partners":${partners},"prevHash":${j(record.prevHash)},"purpose":${j(record.purpose)}`
    + `,"refusal":${j(record.refusal)},"seq":${j(record.seq)},"subject":${j(record.subject)},"v":${FORMAT}}`;
}

export function hashRecord(record: Omit<TrailRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalize(record), 'utf8').digest('hex');
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
  } else if (!ACTOR_KINDS.includes(actor?.kind as Actor['kind'])) {
    throw new TypeError(`trail entry: actor.kind must be one of ${ACTOR_KINDS.join(', ')}, got ${JSON.stringify(actor?.kind)}`);
  }
  text('subject', entry.subject, false);
  text('institution', entry.institution, false);
  for (const name of ['official', 'purpose', 'operation', 'refusal'] as const) text(name, entry[name], true);
  (entry.domains ?? []).forEach((d, i) => text(`domains[${i}]`, d, false));
  (entry.partners ?? []).forEach((p, i) => { text(`partners[${i}].id`, p?.id, false); text(`partners[${i}].outcome`, p?.outcome, false); });
  if (!OUTCOMES.includes(entry.outcome)) {
    throw new TypeError(`trail entry: outcome must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(entry.outcome)}`);
  }
}

/** The record an entry becomes at position `seq` after `prevHash`, with its hash. */
export function sealRecord(entry: TrailEntry, seal: { seq: number; at: Date; subject: string; prevHash: string }): TrailRecord {
  const actor: Actor = entry.actor.kind === 'staff'
    ? { kind: 'staff', staffId: entry.actor.staffId, centre: entry.actor.centre }
    : { kind: entry.actor.kind };
  const body: Omit<TrailRecord, 'hash'> = {
    seq: seal.seq, at: seal.at.toISOString(), actor, subject: seal.subject, institution: entry.institution,
    official: entry.official ?? null, purpose: entry.purpose ?? null, operation: entry.operation ?? null,
    domains: [...(entry.domains ?? [])], partners: (entry.partners ?? []).map((p) => ({ id: p.id, outcome: p.outcome })),
    outcome: entry.outcome, refusal: entry.refusal ?? null, prevHash: seal.prevHash,
  };
  return { ...body, hash: hashRecord(body) };
}
