import { randomBytes } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Clock } from '../../platform/clock.js';

/**
 * The supplier's OAuth2 client-credentials flow: `POST /oauth/token` (form-encoded grant_type,
 * client_id, client_secret) issues a bearer token that lives `lifetimeSeconds` on the emulator's
 * clock; `bearer` admits only live tokens. Errors follow RFC 6749/6750: `{ error, error_description }`.
 */

export const TOKEN_LIFETIME_SECONDS = 300;

export interface OAuthOptions {
  clientId?: string;
  clientSecret?: string;
  clock: Clock;
  lifetimeSeconds?: number;
  count: (op: string) => RequestHandler;
}

export function mountOAuth(app: Express, options: OAuthOptions): { bearer: RequestHandler } {
  const lifetime = options.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS;
  /** Token → expiry (ms on the emulator's clock). */
  const tokens = new Map<string, number>();
  const now = () => options.clock.now().getTime();

  app.post('/oauth/token', options.count('token'), express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') {
      return void res.status(400).json({ error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' });
    }
    const known = options.clientId && options.clientSecret && body.client_id === options.clientId && body.client_secret === options.clientSecret;
    if (!known) return void res.status(401).json({ error: 'invalid_client', error_description: 'client authentication failed' });
    for (const [token, expires] of tokens) if (expires <= now()) tokens.delete(token);
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, now() + lifetime * 1000);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: lifetime, scope: 'customers.read tariffs.read' });
  });

  const bearer: RequestHandler = (req, res, next) => {
    const token = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    const expires = token === undefined ? undefined : tokens.get(token);
    if (expires !== undefined && now() < expires) return next();
    res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    res.status(401).json({ error: 'invalid_token', error_description: 'the access token is missing, unknown or expired' });
  };

  return { bearer };
}
