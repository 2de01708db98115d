import { AsyncLocalStorage } from 'node:async_hooks';
import { PartnerTimeoutError } from '../../domain/errors.js';

/**
 * A partner operation's deadline, carried to every HTTP call the operation makes (adapters need not
 * pass it on): each call is aborted when the deadline passes, and retries never start past it.
 */
export interface Deadline {
  /** Epoch ms at which the operation must be over. */
  at: number;
  signal: AbortSignal;
}

const storage = new AsyncLocalStorage<Deadline>();

export function currentDeadline(): Deadline | undefined {
  return storage.getStore();
}

/** Runs `operation` with a deadline `ms` from now; past it, the result is PARTNER_TIMEOUT whatever the operation does. */
export async function withDeadline<T>(partnerId: string, ms: number, operation: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timeout = new PartnerTimeoutError(partnerId, `the partner did not answer within its ${ms} ms deadline`);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timeout);
      reject(timeout);
    }, ms);
  });
  expired.catch(() => undefined);
  try {
    return await Promise.race([storage.run({ at: Date.now() + ms, signal: controller.signal }, operation), expired]);
  } finally {
    clearTimeout(timer);
  }
}
