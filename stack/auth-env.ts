import { ConfigError } from '../platform/env.js';
import type { TokenVerifierOptions } from '../identity/verify.js';

/**
 * The token issuer from the environment: AUTH_ISSUER with AUTH_JWKS_URL or AUTH_PUBLIC_KEY (PEM or
 * JWK JSON). Undefined when none is set: the caller then uses the development issuer, which
 * refuses to run in production.
 */
export function issuerFromEnv(env: NodeJS.ProcessEnv): TokenVerifierOptions | undefined {
  const issuer = env.AUTH_ISSUER;
  const jwksUrl = env.AUTH_JWKS_URL || undefined;
  const publicKey = env.AUTH_PUBLIC_KEY || undefined;
  if (!issuer) {
    if (jwksUrl || publicKey) throw new ConfigError('AUTH_ISSUER: must be set with AUTH_JWKS_URL or AUTH_PUBLIC_KEY');
    return undefined;
  }
  if (!jwksUrl === !publicKey) throw new ConfigError('AUTH_JWKS_URL or AUTH_PUBLIC_KEY: exactly one must be set with AUTH_ISSUER');
  return { issuer, audience: env.AUTH_AUDIENCE || 'vikno', ...(jwksUrl ? { jwksUrl } : { publicKey }) };
}

export const DEFAULT_PAGE_CLIENTS = Object.freeze({ console: 'vikno-console', portal: 'vikno-portal' });
/** A client id as OAuth 2.0 allows it (RFC 6749 A.1: visible ASCII), bounded. */
const CLIENT_ID = /^[\x20-\x7e]{1,200}$/;

/**
 * The pages' client ids at AUTH_ISSUER: CONSOLE_CLIENT_ID and PORTAL_CLIENT_ID (default
 * vikno-console and vikno-portal). Public clients with PKCE, redirect URIs `<origin>/console/` and
 * `<origin>/portal/`. Without AUTH_ISSUER the demo provider has its own clients, so setting them
 * then is a mistake said at once.
 */
export function pageClientsFromEnv(env: NodeJS.ProcessEnv): { console: string; portal: string } {
  const clients: { console: string; portal: string } = { ...DEFAULT_PAGE_CLIENTS };
  for (const [app, variable] of [['console', 'CONSOLE_CLIENT_ID'], ['portal', 'PORTAL_CLIENT_ID']] as const) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (!env.AUTH_ISSUER) throw new ConfigError(`${variable}: only with AUTH_ISSUER (without it the demo OpenID provider serves the pages with its own clients)`);
    if (!CLIENT_ID.test(value) || value.trim() !== value) throw new ConfigError(`${variable}: must be 1 to 200 visible ASCII characters without surrounding spaces`);
    clients[app] = value;
  }
  return clients;
}

/** The secret the gateway signs its assertions to the subgraphs with: the same in every process. */
export function assertionSecretFromEnv(env: NodeJS.ProcessEnv): string {
  const secret = env.ASSERTION_SECRET;
  if (!secret || secret.length < 32) {
    throw new ConfigError('ASSERTION_SECRET: must be set to the same secret of at least 32 characters in the gateway and every subgraph');
  }
  return secret;
}

/**
 * What `npm start` takes from the environment about identity, as the gateway and the subgraphs
 * alone do: the configured issuer (the development issuer when none is), the assertion secret
 * (made up per run when unset), and production mode.
 */
export function stackIdentityFromEnv(env: NodeJS.ProcessEnv): {
  issuer?: TokenVerifierOptions; pageClients: { console: string; portal: string }; assertionSecret?: string; production: boolean;
} {
  return {
    issuer: issuerFromEnv(env), pageClients: pageClientsFromEnv(env), assertionSecret: env.ASSERTION_SECRET || undefined, production: env.NODE_ENV === 'production',
  };
}
