/**
 * Values published for the secrets (stack/secrets.ts): anyone can read them here, so a production
 * start refuses them. test/unit/published-secrets.test.ts fails when a file in the repository
 * assigns a secret a value missing from this list; values since removed from the files stay here.
 */
export const PUBLISHED_SECRETS: ReadonlySet<string> = new Set([
  // docker-compose.yml's former fallbacks
  'demo-only-assertion-secret-change-me-0123456789',
  'demo-only-trail-key-change-me',
  'demo-only-cache-key-secret-change-me',
  // .env.example's placeholders
  'replace-me-with-the-output-of-openssl-rand-base64-32-A',
  'replace-me-with-the-output-of-openssl-rand-base64-32-T',
  'replace-me-with-the-output-of-openssl-rand-base64-32-S',
  'replace-me-with-the-output-of-openssl-rand-base64-32-C',
  'replace-me-with-the-output-of-openssl-rand-hex-32-P',
  'replace-me-with-the-output-of-openssl-rand-hex-32-R',
  'replace-me-gas-kryvyi-rih-api-key',
  'replace-me-heating-kryvyi-rih-password',
  'replace-me-water-kryvyi-rih-token',
  'replace-me-electricity-kryvyi-rih-client-secret',
  'replace-me-gas-vinnytsia-password',
  'replace-me-housing-kryvyi-rih-password',
  // the tests' and the benchmark's fixed keys
  'test trail key, 32 characters!!',
  'test seal key, kept outside the database',
  'another seal key of at least 32 characters',
  'a trail key for the test stacks only',
  'a seal key for the test stacks only, 32+ chars',
  'short',
  'a shared secret that is long enough for HS256 ok',
  'a test secret of some length',
  'another key of 16+ chars',
  'a trail key for this test run',
  'bench trail key, not a secret',
  'bench seal key, not a secret either!',
  'a cache key secret for this test only, 32+ chars',
  'k',
  's',
]);
