/**
 * .env.example: every variable docker-compose.yml requires, with a placeholder. The platform's own
 * secrets and settings are written out as they stand; the partners' credentials come from the
 * memorandum, one line per variable it names for an enabled partner.
 */
import { GENERATED, type DeployPlan, type PlannedCredential, type PlannedPartner } from './model.js';

/**
 * Variables whose values are secrets (test/ops/compose.test.ts holds them to the same rule): a
 * password, a token, a client secret, an API key; a user name or a client id is not one.
 */
export const SECRET_VARIABLE = /(SECRET|PASSWORD|TOKEN|(?<!PUBLIC)_KEY)$/;

/** `apiKey` → `api-key`. */
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();

/**
 * A secret's placeholder names the partner and the credential (`replace-me-gas-kryvyi-rih-api-key`),
 * and is refused by a production start (stack/published-secrets.ts lists each); anything else is
 * the account name the emulators and the README use, `vikno`.
 */
export function credentialPlaceholder(partner: Pick<PlannedPartner, 'id'>, credential: PlannedCredential): string {
  return SECRET_VARIABLE.test(credential.variable) ? `replace-me-${partner.id}-${kebab(credential.name)}` : 'vikno';
}

export function envExampleFile(plan: DeployPlan): string {
  const credentials = plan.partners.flatMap((p) => p.credentials.map((c) => `${c.variable}=${credentialPlaceholder(p, c)}\n`)).join('');
  return `${GENERATED}
#
# Everything docker-compose.yml takes from the environment: it holds no secret of its own. Copy this
# file to .env (git-ignored) and replace every value with one of your own:
#   cp .env.example .env
#   for v in ASSERTION_SECRET TRAIL_KEY TRAIL_SEAL_KEY CACHE_KEY_SECRET; do sed -i "s|^$v=.*|$v=$(openssl rand -base64 32)|" .env; done
#   for v in POSTGRES_PASSWORD REDIS_PASSWORD; do sed -i "s|^$v=.*|$v=$(openssl rand -hex 32)|" .env; done
# These placeholders are published, so a production start (NODE_ENV=production, as in compose) refuses them.

# The gateway signs its assertions to the subgraphs with it; the same in the gateway and every subgraph.
ASSERTION_SECRET=replace-me-with-the-output-of-openssl-rand-base64-32-A
# Subjects in the access trail are HMACs under it; the same in every gateway and the centre, and kept.
TRAIL_KEY=replace-me-with-the-output-of-openssl-rand-base64-32-T
# Seals the access trail's records; the same in every gateway and the centre, and kept.
TRAIL_SEAL_KEY=replace-me-with-the-output-of-openssl-rand-base64-32-S
# Cache keys are HMACs under it and cached values are encrypted under a key derived from it; the same on every replica sharing Redis.
CACHE_KEY_SECRET=replace-me-with-the-output-of-openssl-rand-base64-32-C

# The access trail's PostgreSQL and the shared Redis. They go into URLs: hex only (openssl rand -hex 32).
POSTGRES_PASSWORD=replace-me-with-the-output-of-openssl-rand-hex-32-P
REDIS_PASSWORD=replace-me-with-the-output-of-openssl-rand-hex-32-R

# The identity provider whose tokens the gateways accept (the development issuer never runs in
# production). AUTH_ISSUER is the tokens' \`iss\`; then exactly one of AUTH_JWKS_URL (https) and
# AUTH_PUBLIC_KEY (its public key as a JWK on one line). AUTH_AUDIENCE defaults to vikno.
AUTH_ISSUER=https://id.example.invalid/
AUTH_JWKS_URL=https://id.example.invalid/.well-known/jwks.json
# AUTH_PUBLIC_KEY={"kty":"OKP","crv":"Ed25519","x":"…"}
# AUTH_AUDIENCE=vikno
# The console's and the citizen page's public clients (PKCE) at that provider; redirect and
# post-logout URIs https://<gateway>/console/ and https://<gateway>/portal/.
# CONSOLE_CLIENT_ID=vikno-console
# PORTAL_CLIENT_ID=vikno-portal

# Each partner's credentials, under the names memorandum.yaml gives. Against the emulated partners
# any value works (the emulator accepts what it is given); against a partner, what the partner issued.
${credentials}
# Where the partners are, when not the emulated ones compose starts (one per partner id), e.g.
# PARTNER_URL_GAS_KRYVYI_RIH=https://api.gas.example.invalid

# Where the load balancer is published (default 127.0.0.1:4000: TLS ends at the centre's edge proxy).
# VIKNO_LISTEN=0.0.0.0:4000
# How many proxies in front of the gateways set X-Forwarded-For (default 1, the load balancer).
# TRUST_PROXY=2
# The https origins whose browsers may call the API (the citizen portal's), exact and comma-separated;
# none by default, so no browser on another origin can.
# CORS_ORIGINS=https://portal.example.gov.ua
# LOG_LEVEL=info
`;
}
