/**
 * The error catalogue, whose codes the README's "Example" lists for clients. Only these cross a
 * boundary: adapters throw them, subgraphs turn them into GraphQL errors with `extensions.code` and
 * the partner id, and everything else is masked as INTERNAL_SERVER_ERROR. The `cause` is kept for
 * logs and is never sent to a client; messages never contain personal data.
 */

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'PARTNER_UNAVAILABLE'
  | 'PARTNER_TIMEOUT'
  | 'PARTNER_BAD_RESPONSE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'TRAIL_UNAVAILABLE';

export interface ViknoErrorOptions {
  partner?: string;
  cause?: unknown;
}

export class ViknoError extends Error {
  readonly code: ErrorCode;
  readonly partner?: string;
  /** Whether asking again later may succeed (a client may show "try again"). */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, retryable: boolean, options: ViknoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    if (options.partner) this.partner = options.partner;
    // The cause may hold request/response objects: keep it out of JSON and enumeration (logs).
    if (options.cause !== undefined) Object.defineProperty(this, 'cause', { enumerable: false });
  }

  /** What a client may see in `extensions`. */
  toExtensions(): Record<string, unknown> {
    return { code: this.code, ...(this.partner ? { partner: this.partner } : {}), retryable: this.retryable };
  }
}

export class BadUserInputError extends ViknoError {
  constructor(message: string, options?: ViknoErrorOptions) {
    super('BAD_USER_INPUT', message, false, options);
  }
}

export class NotFoundError extends ViknoError {
  constructor(message: string, options?: ViknoErrorOptions) {
    super('NOT_FOUND', message, false, options);
  }
}

export class PartnerUnavailableError extends ViknoError {
  constructor(partner: string, message = 'the partner is unavailable', options: Omit<ViknoErrorOptions, 'partner'> = {}) {
    super('PARTNER_UNAVAILABLE', message, true, { ...options, partner });
  }
}

export class PartnerTimeoutError extends ViknoError {
  constructor(partner: string, message = 'the partner did not answer in time', options: Omit<ViknoErrorOptions, 'partner'> = {}) {
    super('PARTNER_TIMEOUT', message, true, { ...options, partner });
  }
}

export class PartnerBadResponseError extends ViknoError {
  constructor(partner: string, message = 'the partner answered something that cannot be read', options: Omit<ViknoErrorOptions, 'partner'> = {}) {
    super('PARTNER_BAD_RESPONSE', message, false, { ...options, partner });
  }
}

/** Identity is missing or cannot be trusted (no token, a bad one, a request that skipped the gateway). */
export class UnauthenticatedError extends ViknoError {
  constructor(message: string, options?: ViknoErrorOptions) {
    super('UNAUTHENTICATED', message, false, options);
  }
}

/** The principal is known but may not see this citizen or field. */
export class ForbiddenError extends ViknoError {
  constructor(message: string, options?: ViknoErrorOptions) {
    super('FORBIDDEN', message, false, options);
  }
}

/** Too many requests, or too many different people looked up in a window: ask again after `retryAfterSeconds`. */
export class RateLimitedError extends ViknoError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, options?: ViknoErrorOptions) {
    super('RATE_LIMITED', message, true, options);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }

  override toExtensions(): Record<string, unknown> {
    return { ...super.toExtensions(), retryAfterSeconds: this.retryAfterSeconds };
  }
}

/** The access trail could not record the look-up, so nothing was asked of any partner (or, for `accessLog`, could not be read). */
export class TrailUnavailableError extends ViknoError {
  constructor(options?: ViknoErrorOptions, message = 'the look-up could not be recorded in the access trail, so no partner was asked; try again shortly') {
    super('TRAIL_UNAVAILABLE', message, true, options);
  }
}

export function isViknoError(error: unknown): error is ViknoError {
  return error instanceof ViknoError;
}
