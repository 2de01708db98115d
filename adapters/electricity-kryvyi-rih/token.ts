import { PartnerUnavailableError, ViknoError } from '../../domain/errors.js';
import { parsePayload } from '../core/batch.js';
import type { AdapterContext } from '../core/define-adapter.js';
import type { BeforeAttempt, PartnerRequest, PartnerResponse } from '../core/http.js';
import { tokenSchema } from './payload.js';

/**
 * OAuth2 client credentials for the electricity supplier. The access token lives only in this
 * closure (never in the shared cache, never in a log line); it is fetched once for all concurrent
 * calls, renewed shortly before it expires by the adapter's clock, and when the partner still
 * refuses it (HTTP 401: revoked, or the partner restarted) renewed once and the call retried once.
 */

/** Renew this long before expiry (or at half the lifetime, if that is shorter). */
const RENEW_BEFORE_MS = 30_000;

/**
 * The status and body of the partner's refusal behind a catalogued error. The core http client
 * maps every HTTP failure to a ViknoError and keeps got's HTTPError as its cause; reading the
 * cause's response is the one way to tell a 401 from a 403, or a 404's body, without changing the core.
 */
export function refusal(error: unknown): { statusCode: number; body: unknown } | undefined {
  if (!(error instanceof ViknoError)) return undefined;
  const response = (error.cause as { response?: { statusCode?: unknown; body?: unknown } } | undefined)?.response;
  return typeof response?.statusCode === 'number' ? { statusCode: response.statusCode, body: response.body } : undefined;
}

export interface AuthorizedHttp {
  /** A call with the current access token; a 401 gets one new token and one retry. */
  request<T = unknown>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>>;
}

type TokenContext = Pick<AdapterContext<unknown>, 'partner' | 'secrets' | 'http' | 'clock' | 'log'>;

export function createAuthorizedHttp(ctx: TokenContext): AuthorizedHttp {
  const partnerId = ctx.partner.id;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    // Measured before asking, so the token is renewed early rather than late.
    const askedAt = ctx.clock.now().getTime();
    let body: unknown;
    try {
      ({ body } = await ctx.http.request('token', {
        method: 'POST',
        idempotent: true, // a read: safe to retry
        path: '/oauth/token',
        form: { grant_type: 'client_credentials', client_id: ctx.secrets.clientId, client_secret: ctx.secrets.clientSecret },
      }));
    } catch (error) {
      // A 400 or 404 from the token endpoint is our configuration, not the citizen's input.
      if (error instanceof ViknoError && (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND')) {
        throw new PartnerUnavailableError(partnerId, 'the partner did not issue an access token', { cause: error });
      }
      throw error;
    }
    const answer = parsePayload(partnerId, tokenSchema, body, 'token answer');
    const lifetimeMs = answer.expires_in * 1000;
    current = { token: answer.access_token, renewAt: askedAt + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 2) };
    return answer.access_token;
  }

  function token(): Promise<string> {
    if (current && ctx.clock.now().getTime() < current.renewAt) return Promise.resolve(current.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  /**
   * The bearer header, set before every attempt the core makes (retries included), so a retry
   * after a 503 carries a token that is still good rather than the one the first attempt had.
   */
  const bearer = (onUse: (token: string) => void): BeforeAttempt => async () => {
    const current = await token();
    onUse(current);
    return { authorization: `Bearer ${current}` };
  };

  return {
    async request<T>(op: string, request: PartnerRequest): Promise<PartnerResponse<T>> {
      let used: string | undefined;
      const withToken = { ...request, beforeAttempt: bearer((t) => { used = t; }) };
      try {
        return await ctx.http.request<T>(op, withToken);
      } catch (error) {
        // A 401 from the token endpoint itself (no token was ever sent) is our credentials refused.
        if (used === undefined || refusal(error)?.statusCode !== 401) throw error;
        // Another call may have renewed it already; only forget the token that was refused.
        if (current?.token === used) current = undefined;
        ctx.log.info({ partner: partnerId, op }, 'access token refused; renewing it once');
        return ctx.http.request<T>(op, withToken);
      }
    },
  };
}
