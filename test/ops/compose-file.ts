import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../../domain/project-root.js';

/**
 * docker-compose.yml as an engine would run it: its services with anchors merged, every
 * `${VAR…}` replaced from a given environment, and short forms written out (depends_on as a map of
 * conditions, environment as a map). `docker-compose config` does this where it is installed;
 * elsewhere (CI may lack it) the same is done here from the YAML, and the two are compared.
 */

export const COMPOSE_FILE = path.join(projectRoot(), 'docker-compose.yml');

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment: Record<string, string>;
  depends_on: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  volumes: string[];
  ports: string[];
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes: string[];
}

export class InterpolationError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

/** Compose's interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`. */
export function interpolate(text: string, env: Env): string {
  return text.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, dollar: string, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (dollar === '$') return '$';
      const variable = name ?? bare!;
      const value = env[variable];
      const missing = value === undefined || (colon === ':' && value === '');
      if (!op) return value ?? '';
      if (!missing) return value!;
      if (op === '-') return interpolate(arg ?? '', env);
      throw new InterpolationError(`${variable}: ${arg || 'required'}`);
    });
}

function interpolateDeep(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)]));
  return value;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function normalize(raw: Record<string, any>): ComposeConfig {
  const services = Object.fromEntries(Object.entries(raw.services ?? {}).map(([name, s]: [string, any]) => {
    const environment: Record<string, string> = Array.isArray(s.environment)
      ? Object.fromEntries(s.environment.map((line: string) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]))
      : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
    const depends_on = Array.isArray(s.depends_on)
      ? Object.fromEntries(s.depends_on.map((d: string) => [d, {}]))
      : Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([k, v]) => [k, { condition: (v as any)?.condition }]));
    const command = typeof s.command === 'string' ? s.command.split(/\s+/) : s.command;
    return [name, {
      image: s.image, build: s.build, command, environment, depends_on, healthcheck: s.healthcheck,
      volumes: asList(s.volumes), ports: asList(s.ports).map((p) => String(p)),
    } satisfies ComposeService];
  }));
  return { services, volumes: Object.keys(raw.volumes ?? {}) };
}

/** The file parsed here, as an engine would take it with `env` (no `.env` file is read). */
export function parseCompose(env: Env, file = COMPOSE_FILE): ComposeConfig {
  const raw = parseYaml(readFileSync(file, 'utf8'), { merge: true, maxAliasCount: -1 }) as Record<string, any>;
  const withoutExtensions = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('x-')));
  return normalize(interpolateDeep(withoutExtensions, env) as Record<string, any>);
}

/**
 * `docker-compose config` with exactly `env` (and PATH): the validated, resolved file, or the
 * message it refused it with. An empty env file keeps a developer's own `.env` out of it.
 */
export function dockerComposeConfig(env: Env, file = COMPOSE_FILE): { ok: true; config: ComposeConfig } | { ok: false; message: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vikno-compose-'));
  try {
    const envFile = path.join(dir, 'empty.env');
    writeFileSync(envFile, '');
    const result = spawnSync('docker-compose', ['--env-file', envFile, '-f', file, 'config'], {
      encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, ...env }, cwd: path.dirname(file),
    });
    if (result.status !== 0) return { ok: false, message: `${result.stderr}${result.stdout}`.trim() };
    // Its output escapes a literal `$` as `$$` again, so that the output is itself a compose file.
    const unescaped = (value: unknown): unknown => (typeof value === 'string' ? value.replaceAll('$$', '$')
      : Array.isArray(value) ? value.map(unescaped)
        : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescaped(v)])) : value);
    return { ok: true, config: normalize(unescaped(parseYaml(result.stdout)) as Record<string, any>) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The variables the file takes from the environment, with whether each has a fallback. */
export function composeVariables(file = COMPOSE_FILE): Map<string, { required: boolean; fallback?: string }> {
  const found = new Map<string, { required: boolean; fallback?: string }>();
  const text = readFileSync(file, 'utf8').replace(/^\s*#.*$/gm, '').replace(/\$\$/g, '');
  for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g)) {
    const [, name, , op, arg] = match;
    found.set(name, op === '?' ? { required: true } : { required: false, fallback: op === '-' ? arg : undefined });
  }
  return found;
}

/** Services that run the project's image (a Node process), by the entry point they run. */
export function nodeServices(config: ComposeConfig, entry?: 'gateway' | 'subgraphs' | 'emulators'): string[] {
  return Object.entries(config.services)
    .filter(([, s]) => s.build !== undefined && (entry === undefined || s.command?.includes(`dist/${entry}/main.js`)))
    .map(([name]) => name);
}

/** `http://host:port/…` → [host, port]; the service names a URL points at. */
export function urlHostPort(url: string): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname, Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))];
}
