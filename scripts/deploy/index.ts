/**
 * The deployment files, generated: docker-compose.yml, deploy/prometheus.yml and .env.example are a
 * pure function of the domains (domain/domains.ts), the memorandum's enabled partners and the
 * emulators there are (emulators/registry.ts). `npm run deploy:files` writes them;
 * test/ops/deploy-files.test.ts fails while a checked-in one differs from what this produces.
 */
import type { Memorandum } from '../../domain/memorandum.js';
import { declarationOf, DOMAINS } from '../../domain/domains.js';
import { SUBGRAPHS } from '../../schema/index.js';
import { composeFile } from './compose.js';
import { envExampleFile } from './env-example.js';
import { planDeployment, type DeployInput } from './model.js';
import { prometheusFile } from './prometheus.js';

export { DeployInputError, GENERATED, planDeployment, type DeployInput, type DomainInput, type PartnerInput } from './model.js';
export { credentialPlaceholder, SECRET_VARIABLE } from './env-example.js';

/** The generated files by their path from the project root. */
export const DEPLOY_FILES = ['docker-compose.yml', 'deploy/prometheus.yml', '.env.example'] as const;
export type DeployFile = (typeof DEPLOY_FILES)[number];

/** Each generated file's text. Throws DeployInputError, naming every problem, on an input that cannot be deployed. */
export function deployFiles(input: DeployInput): Record<DeployFile, string> {
  const plan = planDeployment(input);
  return {
    'docker-compose.yml': composeFile(plan),
    'deploy/prometheus.yml': prometheusFile(plan),
    '.env.example': envExampleFile(plan),
  };
}

/** The project's input: its declared domains, the given memorandum and the given emulated partner ids. */
export function projectDeployInput(memorandum: Memorandum, emulators: readonly string[]): DeployInput {
  return {
    domains: DOMAINS.map((d) => ({ id: d, defaultPort: declarationOf(d).defaultPort })),
    centrePort: SUBGRAPHS.centre.defaultPort,
    partners: memorandum.partners,
    emulators,
  };
}
