/** `npm run partner:new -- <id> --domain <domain>`: a new partner's starting point (docs/ONBOARDING.md). */
import { projectRoot } from '../domain/project-root.js';
import { MemorandumError } from '../domain/memorandum.js';
import { scaffoldPartner, ScaffoldError } from './scaffold/index.js';

const args = process.argv.slice(2);
const domainAt = args.indexOf('--domain');
const id = args.find((a, i) => !a.startsWith('--') && i !== domainAt + 1);
const domain = domainAt >= 0 ? args[domainAt + 1] : undefined;

if (!id || !domain) {
  console.error('usage: npm run partner:new -- <partner id> --domain <gas|heating|water|electricity|cadastre|vehicles>');
  process.exit(2);
}
try {
  const written = scaffoldPartner({ root: projectRoot(), id, domain, today: new Date().toISOString().slice(0, 10) });
  console.log(`Wrote:\n${written.map((f) => `  ${f}`).join('\n')}\n`);
  console.log([
    'Next:',
    `  1. npm test -- test/adapters/${id}.test.ts    fails until you map your system's answer (the test says where)`,
    `  2. fill the TODOs in adapters/${id}/index.ts and the memorandum entry`,
    `  3. npm run partner:check -- ${id}    the conformance suite, against your test system (PARTNER_CHECK_URL)`,
    '  4. set enabled: true in memorandum.yaml',
    'The whole way: docs/ONBOARDING.md',
  ].join('\n'));
} catch (error) {
  if (error instanceof ScaffoldError || error instanceof MemorandumError) {
    console.error(`partner:new: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
