import { PartnerTimeoutError } from '../../domain/errors.js';
import { asyncSlot } from '../../platform/request-context.js';
import type { NotCalled } from './failure.js';

/**
 * A partner operation's deadline, carried to every HTTP call the operation makes (adapters need not
 * pass it on): each call is aborted when the deadline passes, and retries and quota waits never
 * start past it.
 *
 * Deadlines are real time (Date.now(), the clock timers and sockets run on, and the clock of the
 * gateway that set the answer's budget), not the injected Clock: that one is the business clock —
 * what time the data says it is, which tests fix at a moment — and a deadline measured on a fixed
 * clock would never pass.
 */
export interface Deadline {
  /** Epoch ms at which the operation must be over. */
  at: number;
  signal: AbortSignal;
}

/**
 * What the subgraph and the gateway keep of the answer's budget to put the answer together and
 * send it: a partner operation ends this long before the budget does.
 */
export const ANSWER_ASSEMBLY_MS = 150;

// Beside the request's scope, in the one storage every request's work is carried in.
const deadlineSlot = asyncSlot<Deadline>('partner deadline');

export function currentDeadline(): Deadline | undefined {
  return deadlineSlot.get();
}

/** The answer's budget was spent before this operation could start: the partner was not asked. */
export class BudgetSpentError extends PartnerTimeoutError implements NotCalled {
  readonly notCalled = true as const;
  constructor(partnerId: string) {
    super(partnerId, "the answer's budget was spent before the partner could be asked");
  }
}

const budgetTimeout = (partnerId: string) => new PartnerTimeoutError(partnerId, "the partner did not answer within the answer's budget");

/** When an operation started now must end: `ms` from now, or sooner if the answer's budget ends first (less the assembly time). */
export function operationDeadline(ms: number, budgetAt: number | undefined, now = Date.now()): { at: number; byBudget: boolean } {
  const own = now + ms;
  if (budgetAt === undefined) return { at: own, byBudget: false };
  const budget = budgetAt - ANSWER_ASSEMBLY_MS;
  return budget < own ? { at: budget, byBudget: true } : { at: own, byBudget: false };
}

/**
 * Runs `operation` with a deadline `ms` from now, or at the answer's budget (`budgetAt`, epoch ms)
 * less ANSWER_ASSEMBLY_MS if that comes first: every call the operation makes, however many one
 * after another, shares it. Past it, the result is PARTNER_TIMEOUT whatever the operation does.
 */
export async function withDeadline<T>(partnerId: string, ms: number, operation: () => Promise<T>, budgetAt?: number): Promise<T> {
  const { at, byBudget } = operationDeadline(ms, budgetAt);
  const left = at - Date.now();
  if (left <= 0) throw new BudgetSpentError(partnerId);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Made only when it happens: an error's stack costs more than the rest of a deadline together.
      const timeout = byBudget ? budgetTimeout(partnerId) : new PartnerTimeoutError(partnerId, `the partner did not answer within its ${ms} ms deadline`);
      controller.abort(timeout);
      reject(timeout);
    }, left);
  });
  expired.catch(() => undefined);
  try {
    return await Promise.race([deadlineSlot.run({ at, signal: controller.signal }, operation), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for `shared` (a partner call another request started) no longer than this request's own
 * budget allows: a request that joined late must not wait past its answer for an earlier one.
 */
export async function withinBudget<T>(partnerId: string, shared: Promise<T>, budgetAt: number | undefined): Promise<T> {
  if (budgetAt === undefined) return shared;
  const left = budgetAt - ANSWER_ASSEMBLY_MS - Date.now();
  if (left <= 0) throw budgetTimeout(partnerId);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(budgetTimeout(partnerId)), left); });
  try {
    return await Promise.race([shared, expired]);
  } finally {
    clearTimeout(timer);
  }
}
