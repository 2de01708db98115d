import type { SqlQuery } from './sql-client.js';
import type { Action, Actor, Outcome, PartnerOutcome, TrailRecord } from './record.js';

/**
 * The one SQL schema both stores run. A table name may be schema-qualified (`bench.trail`); tests
 * and the benchmark use their own so they never touch the real trail.
 */
export const DEFAULT_TABLE = 'access_trail';

export interface TrailTable {
  /** Quoted, possibly qualified name of the records table. */
  records: string;
  meta: string;
  /** Unqualified base name, for index, trigger and function names. */
  base: string;
  schema: string | null;
}

const IDENT = /^[a-z_][a-z0-9_]{0,40}$/;

export function trailTable(name: string = DEFAULT_TABLE): TrailTable {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) {
    throw new TypeError(`trail table: expected [schema.]name in lower-case letters, digits and _, got ${JSON.stringify(name)}`);
  }
  const base = parts[parts.length - 1];
  const schema = parts.length === 2 ? parts[0] : null;
  const q = (n: string) => (schema ? `"${schema}"."${n}"` : `"${n}"`);
  return { records: q(base), meta: q(`${base}_meta`), base, schema };
}

/** DDL, idempotent. Run under the trail's lock so replicas starting together do not race. */
export function schemaStatements(t: TrailTable): string[] {
  const fn = t.schema ? `"${t.schema}"."${t.base}_append_only"` : `"${t.base}_append_only"`;
  return [
    ...(t.schema ? [`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`] : []),
    `CREATE TABLE IF NOT EXISTS ${t.records} (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_kind text NOT NULL,
      actor_staff_id text,
      actor_centre text,
      subject_hash text NOT NULL,
      institution text NOT NULL,
      official text,
      purpose text,
      operation text,
      domains text[] NOT NULL,
      partners jsonb NOT NULL,
      outcome text NOT NULL,
      refusal text,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`,
    // Added by the second round; a trail started before it opens and keeps its records.
    `ALTER TABLE ${t.records} ADD COLUMN IF NOT EXISTS refers bigint`,
    `ALTER TABLE ${t.records} ADD COLUMN IF NOT EXISTS seal text`,
    // Format 3: a record says whether it is a look-up or an issuance; null in records from before (look-ups).
    `ALTER TABLE ${t.records} ADD COLUMN IF NOT EXISTS action text`,
    // A citizen's look-ups, newest first, are one index range whatever the table's size; their
    // completions are found by the record they refer to.
    `DROP INDEX IF EXISTS ${t.schema ? `"${t.schema}".` : ''}"${t.base}_subject_seq"`,
    `CREATE INDEX IF NOT EXISTS "${t.base}_lookups" ON ${t.records} (subject_hash, seq DESC) WHERE refers IS NULL`,
    `CREATE INDEX IF NOT EXISTS "${t.base}_refers" ON ${t.records} (refers) WHERE refers IS NOT NULL`,
    `CREATE TABLE IF NOT EXISTS ${t.meta} (id int PRIMARY KEY CHECK (id = 1), key_check text NOT NULL)`,
    `ALTER TABLE ${t.meta} ADD COLUMN IF NOT EXISTS seal_check text`,
    // Append-only for anyone who does not first disable the trigger: a mistaken UPDATE or DELETE
    // fails loudly; a deliberate one is still caught by the hash chain (`trail:verify`).
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the access trail is append-only'; END $$`,
    `DROP TRIGGER IF EXISTS "${t.base}_no_change" ON ${t.records}`,
    `CREATE TRIGGER "${t.base}_no_change" BEFORE UPDATE OR DELETE ON ${t.records} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `DROP TRIGGER IF EXISTS "${t.base}_no_truncate" ON ${t.records}`,
    `CREATE TRIGGER "${t.base}_no_truncate" BEFORE TRUNCATE ON ${t.records} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

export const COLUMNS = 'seq, at, action, actor_kind, actor_staff_id, actor_centre, subject_hash, institution, official, purpose, operation, domains, partners, outcome, refusal, refers, prev_hash, hash, seal';

export interface TrailRow {
  seq: string | number | bigint;
  at: Date | string;
  /** Null in records written before format 3. */
  action: string | null;
  actor_kind: string;
  actor_staff_id: string | null;
  actor_centre: string | null;
  subject_hash: string;
  institution: string;
  official: string | null;
  purpose: string | null;
  operation: string | null;
  domains: string[];
  partners: PartnerOutcome[] | string;
  outcome: string;
  refusal: string | null;
  refers: string | number | bigint | null;
  prev_hash: string;
  hash: string;
  seal: string | null;
}

/** A row as a record, taken as stored: a tampered row yields a record whose hash does not match. */
export function rowToRecord(row: TrailRow): TrailRecord {
  const actor = (row.actor_kind === 'staff'
    ? { kind: 'staff', staffId: row.actor_staff_id, centre: row.actor_centre }
    : { kind: row.actor_kind }) as Actor;
  return {
    seq: Number(row.seq),
    at: row.at instanceof Date ? row.at.toISOString() : new Date(row.at).toISOString(),
    action: (row.action ?? 'LOOKUP') as Action,
    actor, subject: row.subject_hash, institution: row.institution,
    official: row.official, purpose: row.purpose, operation: row.operation,
    domains: row.domains, partners: typeof row.partners === 'string' ? JSON.parse(row.partners) : row.partners,
    outcome: row.outcome as Outcome, refusal: row.refusal, refers: row.refers === null ? null : Number(row.refers),
    prevHash: row.prev_hash, hash: row.hash, seal: row.seal,
  };
}

/** Inserts sealed records in one statement (one row or a batch of thousands), as the trail writes them. */
export async function insertRecords(q: SqlQuery, t: TrailTable, records: readonly TrailRecord[]): Promise<void> {
  await q.query(insertStatement(t, records));
}

/** Each column of the records table as SQL types it, in COLUMNS order. */
const COLUMN_TYPES = 'seq bigint, at timestamptz, action text, actor_kind text, actor_staff_id text, actor_centre text, subject_hash text, '
  + 'institution text, official text, purpose text, operation text, domains text[], partners jsonb, outcome text, refusal text, '
  + 'refers bigint, prev_hash text, hash text, seal text';

/**
 * The insert of sealed records as one statement without parameters, so that the trail can send it
 * in one round trip with COMMIT: the records are one JSON document in a dollar-quoted
 * literal. Dollar quoting has no escapes, so only the closing tag can end it, and the tag is one
 * the document does not contain; nor can the document's end run into the tag (JSON of an array
 * ends with "]"). Nothing in a record can leave the literal.
 */
export function insertStatement(t: TrailTable, records: readonly TrailRecord[]): string {
  const json = JSON.stringify(records.map((r) => {
    const staff = r.actor.kind === 'staff' ? r.actor : null;
    return {
      seq: r.seq, at: r.at, action: r.action, actor_kind: r.actor.kind, actor_staff_id: staff?.staffId ?? null, actor_centre: staff?.centre ?? null,
      subject_hash: r.subject, institution: r.institution, official: r.official, purpose: r.purpose, operation: r.operation,
      domains: r.domains, partners: r.partners, outcome: r.outcome, refusal: r.refusal, refers: r.refers,
      prev_hash: r.prevHash, hash: r.hash, seal: r.seal,
    };
  }));
  let n = 0;
  while (json.includes(`$r${n}$`)) n++;
  const tag = `$r${n}$`;
  return `INSERT INTO ${t.records} (${COLUMNS}) SELECT ${COLUMNS} FROM jsonb_to_recordset(${tag}${json}${tag}::jsonb) AS r(${COLUMN_TYPES})`;
}
