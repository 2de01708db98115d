import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checkEdrpou } from './identifiers.js';
import { DOMAINS } from './model.js';
import { projectRoot } from './project-root.js';

/**
 * The memorandum file lists the partners and how to reach them. It is the only source of the
 * partner list: subgraphs and adapters take their partners from it. Secrets never appear in it,
 * only the names of the environment variables that hold them.
 */

const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');

export const connectionSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  /**
   * The partner's deadline: a whole operation, retries and quota waits included, ends by then, and
   * sooner when the answer's budget (ANSWER_BUDGET_MS) has less left.
   */
  timeoutMs: z.int().min(50).max(60_000).default(2000),
  credentials: z.record(z.string(), envVarName).default({}),
  /** By kind of data: tariffs, records (a person's accounts, parcels, vehicles), extracts. */
  cacheTtlSeconds: z.record(z.string(), z.int().min(0)).default({}),
  /**
   * The most keys (tax ids) the partner takes in one call: 1 for a partner asked person by person.
   * The adapter's maxBatchSize must not exceed it; the conformance suite counts the keys of every call.
   */
  maxBatch: z.int('must be a whole number of keys').min(1, 'must be at least 1').max(1000).optional(),
  /** Retries of an idempotent read after a transient failure (default: the adapter's, else 2). */
  retries: z.int().min(0).max(5).optional(),
  /** How old a cached copy may be to be served, marked STALE, when the partner fails. */
  maxStaleSeconds: z.int().min(0).default(86_400),
  /**
   * What the partner allows us: calls started per second, calls open at once and how many may start
   * together after a quiet spell (default 1: evenly spaced). Every call, retries included, waits
   * for it (quota.ts); none when left out.
   */
  quota: z.strictObject({
    callsPerSecond: z.number({ error: 'must be a number of calls per second' }).positive('must be more than 0').max(10_000),
    inFlight: z.int('must be a whole number of calls').min(1, 'must be at least 1').max(1000),
    burst: z.int('must be a whole number of calls').min(1, 'must be at least 1').max(1000).default(1),
  }).optional(),
  breaker: z.strictObject({
    /** Consecutive failed calls that open the circuit. */
    failures: z.int().min(1).max(100).default(5),
    /** Seconds the circuit stays open before one probe call may pass. */
    halfOpenAfterSeconds: z.number().min(0).max(3600).default(10),
  }).default({ failures: 5, halfOpenAfterSeconds: 10 }),
});

export const partnerEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().min(1),
  edrpou: z.string().superRefine((value, ctx) => {
    const problem = checkEdrpou(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  domain: z.enum(DOMAINS as [string, ...string[]]),
  region: z.string().min(1),
  joined: z.iso.date('must be a date, YYYY-MM-DD'),
  adapter: z.string().min(1),
  enabled: z.boolean().default(true),
  connection: connectionSchema,
  options: z.record(z.string(), z.unknown()).default({}),
});

export const memorandumSchema = z.strictObject({
  partners: z.array(partnerEntrySchema).min(1, 'must list at least one partner'),
});

/** Repeated ids, checked on the raw entries so they are reported together with every other problem. */
function duplicateIds(file: string, raw: unknown): string[] {
  const partners = (raw as { partners?: unknown })?.partners;
  if (!Array.isArray(partners)) return [];
  const seen = new Set<unknown>();
  return partners.flatMap((p: { id?: unknown } | null, i) => {
    const id = p?.id;
    if (typeof id !== 'string') return [];
    if (seen.has(id)) return [`${file}: partners[${i}].id: duplicate partner id "${id}"`];
    seen.add(id);
    return [];
  });
}

export type PartnerEntry = z.infer<typeof partnerEntrySchema>;
export type Memorandum = z.infer<typeof memorandumSchema>;

/** A configuration mistake; its message names the file and the field path. */
export class MemorandumError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'MemorandumError';
  }
}

/** `partners[3].edrpou` from a zod path. */
export function formatPath(pathParts: readonly PropertyKey[]): string {
  return pathParts.reduce<string>((s, part) => (typeof part === 'number' ? `${s}[${part}]` : s ? `${s}.${String(part)}` : String(part)), '');
}

export function issuesToProblems(file: string, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.map((issue) => `${file}: ${formatPath([...prefix, ...issue.path])}: ${issue.message}`);
}

export function parseMemorandum(text: string, file = 'memorandum.yaml'): Memorandum {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new MemorandumError([`${file}: not valid YAML: ${(error as Error).message}`]);
  }
  const result = memorandumSchema.safeParse(raw);
  const problems = [...(result.success ? [] : issuesToProblems(file, result.error.issues)), ...duplicateIds(file, raw)];
  if (problems.length || !result.success) throw new MemorandumError(problems);
  return result.data;
}

export const DEFAULT_MEMORANDUM_FILE = path.join(projectRoot(), 'memorandum.yaml');

export async function loadMemorandum(file: string): Promise<Memorandum> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new MemorandumError([`${file}: cannot be read (${error.code ?? error.message})`]);
  });
  return parseMemorandum(text, path.basename(file));
}
