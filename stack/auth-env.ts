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
export function stackIdentityFromEnv(env: NodeJS.ProcessEnv): { issuer?: TokenVerifierOptions; assertionSecret?: string; production: boolean } {
  return { issuer: issuerFromEnv(env), assertionSecret: env.ASSERTION_SECRET || undefined, production: env.NODE_ENV === 'production' };
}
