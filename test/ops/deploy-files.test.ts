import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, type Memorandum } from '../../domain/memorandum.js';
import { projectRoot } from '../../domain/project-root.js';
import { EMULATORS } from '../../emulators/registry.js';
import {
  DeployInputError, deployFiles, DEPLOY_FILES, GENERATED, projectDeployInput, type DeployInput, type PartnerInput,
} from '../../scripts/deploy/index.js';
import { composeVariables, parseCompose, type ComposeConfig } from './compose-file.js';

/**
 * docker-compose.yml, deploy/prometheus.yml and .env.example are generated (`npm run deploy:files`)
 * from the domain declarations, the memorandum and the emulator registry: the checked-in ones must
 * be what the generator writes, and a new domain with its partner must come out as its own services
 * and lines, with nothing else changed.
 */

const root = projectRoot();
let memorandum: Memorandum;
let today: DeployInput;
let work: string;
let written = 0;

beforeAll(async () => {
  memorandum = await loadMemorandum(DEFAULT_MEMORANDUM_FILE);
  today = projectDeployInput(memorandum, Object.keys(EMULATORS));
  work = mkdtempSync(path.join(tmpdir(), 'vikno-deploy-files-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const sentinel = (name: string) => `sentinel-${name}`;

/** A compose text as an engine takes it, every required variable set to a value naming it. */
function resolved(composeText: string): { config: ComposeConfig; required: string[] } {
  const file = path.join(work, `compose-${(written += 1)}.yml`);
  writeFileSync(file, composeText);
  const required = [...composeVariables(file)].filter(([, v]) => v.required).map(([name]) => name);
  return { config: parseCompose(Object.fromEntries(required.map((name) => [name, sentinel(name)])), file), required };
}

/** The lines of `after` that are not in `before`, when `before`'s lines all appear in `after` in order; else undefined. */
function addedLines(before: string, after: string): string[] | undefined {
  const old = before.split('\n');
  const added: string[] = [];
  let i = 0;
  for (const line of after.split('\n')) {
    if (i < old.length && line === old[i]) i += 1;
    else added.push(line);
  }
  return i === old.length ? added : undefined;
}

const WASTE_PARTNER: PartnerInput = {
  id: 'waste-kryvyi-rih',
  domain: 'waste',
  enabled: true,
  connection: { baseUrl: 'http://127.0.0.1:4109', credentials: { apiKey: 'WASTE_KRYVYI_RIH_API_KEY', login: 'WASTE_KRYVYI_RIH_LOGIN' } },
};

const withWaste = (): DeployInput => ({
  ...today,
  domains: [...today.domains, { id: 'waste', defaultPort: 4009 }],
  partners: [...today.partners, WASTE_PARTNER],
  emulators: [...today.emulators, WASTE_PARTNER.id],
});

describe('the generated deployment files', () => {
  it('are checked in as the generator writes them (run `npm run deploy:files` when this fails)', () => {
    const generated = deployFiles(today);
    const stale = DEPLOY_FILES.flatMap((file) => {
      const checkedIn = readFileSync(path.join(root, file), 'utf8');
      if (checkedIn === generated[file]) return [];
      const theirs = checkedIn.split('\n');
      const ours = generated[file].split('\n');
      const line = ours.findIndex((l, i) => l !== theirs[i]);
      return [`${file} is out of date: run \`npm run deploy:files\` (line ${line + 1}: checked in ${JSON.stringify(theirs[line])}, generated ${JSON.stringify(ours[line])})`];
    });
    expect(stale).toEqual([]);
  });

  it('say they are generated, on their first line', () => {
    for (const text of Object.values(deployFiles(today))) expect(text.split('\n')[0]).toBe(GENERATED);
  });

  it('give a new domain and its partner their own services, targets and credentials, and change nothing else', () => {
    const before = deployFiles(today);
    const after = deployFiles(withWaste());
    for (const file of DEPLOY_FILES) expect({ file, onlyAdded: addedLines(before[file], after[file]) !== undefined }).toEqual({ file, onlyAdded: true });

    const { config, required } = resolved(after['docker-compose.yml']);
    const emulator = config.services['emulator-waste-kryvyi-rih'];
    expect(emulator.command).toEqual(['node', 'dist/emulators/main.js']);
    expect(emulator.environment).toMatchObject({
      NODE_ENV: 'production', EMULATOR: 'waste-kryvyi-rih', PORT: '4109',
      WASTE_KRYVYI_RIH_API_KEY: sentinel('WASTE_KRYVYI_RIH_API_KEY'), WASTE_KRYVYI_RIH_LOGIN: sentinel('WASTE_KRYVYI_RIH_LOGIN'),
    });
    const subgraph = config.services['subgraph-waste'];
    expect(subgraph.command).toEqual(['node', 'dist/subgraphs/main.js']);
    expect(subgraph.environment).toMatchObject({
      NODE_ENV: 'production', SUBGRAPH: 'waste', PORT: '4009',
      ASSERTION_SECRET: sentinel('ASSERTION_SECRET'),
      WASTE_KRYVYI_RIH_API_KEY: sentinel('WASTE_KRYVYI_RIH_API_KEY'), WASTE_KRYVYI_RIH_LOGIN: sentinel('WASTE_KRYVYI_RIH_LOGIN'),
      PARTNER_URL_WASTE_KRYVYI_RIH: 'http://emulator-waste-kryvyi-rih:4109',
    });
    expect(subgraph.depends_on).toEqual({ redis: { condition: 'service_healthy' }, 'emulator-waste-kryvyi-rih': { condition: 'service_healthy' } });
    for (const gateway of ['gateway-1', 'gateway-2']) {
      expect(config.services[gateway].depends_on['subgraph-waste']).toEqual({ condition: 'service_healthy' });
      expect(config.services[gateway].environment.SUBGRAPH_URL_WASTE).toBe('http://subgraph-waste:4009/graphql');
    }
    // The partner's credentials reach its subgraph and its emulator, nothing else.
    const holders = Object.entries(config.services).filter(([, s]) => 'WASTE_KRYVYI_RIH_API_KEY' in s.environment).map(([name]) => name);
    expect(holders.sort()).toEqual(['emulator-waste-kryvyi-rih', 'subgraph-waste']);
    expect(required).toEqual(expect.arrayContaining(['WASTE_KRYVYI_RIH_API_KEY', 'WASTE_KRYVYI_RIH_LOGIN']));
    // Every other service is as it was.
    const { config: old } = resolved(before['docker-compose.yml']);
    const newServices = ['emulator-waste-kryvyi-rih', 'subgraph-waste'];
    expect(Object.keys(config.services).filter((name) => !newServices.includes(name)).sort()).toEqual(Object.keys(old.services).sort());

    const scrape = parseYaml(after['deploy/prometheus.yml']) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    expect(scrape.scrape_configs.find((job) => job.job_name === 'subgraph')!.static_configs[0].targets).toContain('subgraph-waste:4009');
    expect(addedLines(before['deploy/prometheus.yml'], after['deploy/prometheus.yml'])).toEqual(['          - "subgraph-waste:4009"']);
    expect(addedLines(before['.env.example'], after['.env.example'])).toEqual([
      'WASTE_KRYVYI_RIH_API_KEY=replace-me-waste-kryvyi-rih-api-key',
      'WASTE_KRYVYI_RIH_LOGIN=vikno',
    ]);
  });

  it('leave out a disabled partner, and point a subgraph at the baseUrl of a partner with no emulator', () => {
    const lviv: PartnerInput = {
      id: 'gas-lviv', domain: 'gas', enabled: true,
      connection: { baseUrl: 'https://api.gas-lviv.example', credentials: { apiKey: 'GAS_LVIV_API_KEY' } },
    };
    const odesa: PartnerInput = {
      id: 'gas-odesa', domain: 'gas', enabled: false,
      connection: { baseUrl: 'https://api.gas-odesa.example', credentials: { apiKey: 'GAS_ODESA_API_KEY' } },
    };
    const files = deployFiles({ ...today, partners: [...today.partners, lviv, odesa], emulators: [...today.emulators, 'gas-odesa'] });
    const { config, required } = resolved(files['docker-compose.yml']);
    expect(config.services['emulator-gas-lviv']).toBeUndefined();
    expect(config.services['emulator-gas-odesa']).toBeUndefined();
    const gas = config.services['subgraph-gas'];
    expect(gas.environment.PARTNER_URL_GAS_LVIV).toBe('https://api.gas-lviv.example');
    expect(gas.environment.GAS_LVIV_API_KEY).toBe(sentinel('GAS_LVIV_API_KEY'));
    expect(Object.keys(gas.depends_on).sort()).toEqual(['emulator-gas-kryvyi-rih', 'emulator-gas-vinnytsia', 'redis']);
    expect(required).not.toContain('GAS_ODESA_API_KEY');
    expect(files['docker-compose.yml']).not.toContain('gas-odesa');
    expect(files['docker-compose.yml']).not.toContain('GAS_ODESA');
    expect(files['.env.example']).toContain('GAS_LVIV_API_KEY=replace-me-gas-lviv-api-key\n');
    expect(files['.env.example']).not.toContain('GAS_ODESA');
  });

  it('refuse an input that cannot be deployed, naming every problem', () => {
    const stray: PartnerInput = { ...WASTE_PARTNER, id: 'parking-kyiv', domain: 'parking' };
    const clash: PartnerInput = {
      ...WASTE_PARTNER, id: 'water-vinnytsia', domain: 'water',
      connection: { baseUrl: 'http://127.0.0.1:4103', credentials: { token: 'WATER_KRYVYI_RIH_TOKEN' } },
    };
    const input: DeployInput = {
      ...today,
      domains: [...today.domains, { id: 'waste', defaultPort: 4009 }],
      partners: [...today.partners, stray, clash],
      emulators: [...today.emulators, clash.id],
    };
    let error: unknown;
    try {
      deployFiles(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeployInputError);
    expect((error as DeployInputError).problems).toEqual([
      'partner parking-kyiv: domain "parking" is not declared in domain/domains.ts',
      'domain waste: no enabled partner in the memorandum, so its subgraph would not start',
      'emulator-water-vinnytsia: port 4103 is also emulator-water-kryvyi-rih\'s',
      'partner water-vinnytsia: credential variable WATER_KRYVYI_RIH_TOKEN is also partner water-kryvyi-rih\'s',
    ]);
  });
});
