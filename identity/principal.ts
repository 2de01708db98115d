/**
 * Who is asking: a member of a centre's staff (reads any citizen, within their scopes) or a
 * signed-in citizen (reads only themself). One mapping to and from JWT claims serves both the
 * identity tokens (verify.ts, dev-issuer.ts) and the gateway-to-subgraph assertion (assertion.ts).
 */
import { checkRnokpp } from '../domain/identifiers.js';
import { checkText, TextError } from '../domain/text.js';
import { DOMAIN_DECLARATIONS, DOMAINS, type Domain } from '../domain/domains.js';

/** A staff scope: each domain's declaration names the one that reads it. */
export type Scope = (typeof DOMAIN_DECLARATIONS)[Domain]['scope'];
export const ALL_SCOPES: readonly Scope[] = Object.freeze(DOMAINS.map((d) => DOMAIN_DECLARATIONS[d].scope));

export type Principal =
  | { kind: 'staff'; id: string; name: string; centre: string; scopes: readonly string[] }
  | { kind: 'citizen'; taxId: string };

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** The identity claims of a principal (the registered ones — iss, aud, exp, iat — are the signer's). */
export interface PrincipalClaims {
  sub: string;
  vikno_role: 'staff' | 'citizen';
  name?: string;
  centre?: string;
  scope?: string;
}

/** Thrown when claims do not describe a principal; the message names claims, never their values. */
export class PrincipalClaimsError extends TypeError {}

/**
 * A staff id is an opaque identifier, not text: it goes into the trail and to the registries as
 * X-Road-UserId, so no spaces, no percent signs, nothing that would read differently once decoded.
 */
export const STAFF_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:+-]{0,99}$/;

export function claimsFromPrincipal(principal: Principal): PrincipalClaims {
  if (principal.kind === 'citizen') return { sub: principal.taxId, vikno_role: 'citizen' };
  return {
    sub: principal.id, vikno_role: 'staff', name: principal.name, centre: principal.centre,
    scope: principal.scopes.join(' '),
  };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** A staff name or centre: shown in the citizen's log, so checked as text (domain/text.ts). */
function staffText(value: string, claim: 'name' | 'centre'): string {
  try {
    return checkText(value, claim);
  } catch (error) {
    if (error instanceof TextError) throw new PrincipalClaimsError(`a staff token's ${claim} ${error.rule}`);
    throw error;
  }
}

/**
 * Reads a principal from verified claims. A signature vouches for who issued them, not for what
 * they hold, so a staff sub must be an opaque id and a name or centre valid text (returned in NFC,
 * trimmed). Scopes are normalised: scopes this project does not know (an issuer may also serve
 * other audiences) are dropped, the rest come in ALL_SCOPES order.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const { sub, vikno_role: role } = claims;
  if (role === 'citizen') {
    if (typeof sub !== 'string') throw new PrincipalClaimsError('a citizen token needs a sub');
    const reason = checkRnokpp(sub);
    if (reason) throw new PrincipalClaimsError(`the citizen's sub ${reason}`);
    return { kind: 'citizen', taxId: sub };
  }
  if (role === 'staff') {
    for (const claim of ['sub', 'name', 'centre'] as const) {
      if (!nonEmpty(claims[claim])) throw new PrincipalClaimsError(`a staff token needs a ${claim}`);
    }
    if (!STAFF_ID_PATTERN.test(sub as string)) {
      throw new PrincipalClaimsError("a staff token's sub must be an id of up to 100 letters, digits and . _ @ : + - that starts with a letter or digit");
    }
    const { scope } = claims;
    if (scope !== undefined && typeof scope !== 'string') throw new PrincipalClaimsError('the scope claim must be a space-separated string');
    const granted = new Set(scope ? scope.split(/\s+/) : []);
    return {
      kind: 'staff', id: sub as string, name: staffText(claims.name as string, 'name'), centre: staffText(claims.centre as string, 'centre'),
      scopes: Object.freeze(ALL_SCOPES.filter((s) => granted.has(s))),
    };
  }
  throw new PrincipalClaimsError('vikno_role must be "staff" or "citizen"');
}
