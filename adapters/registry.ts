import { existsSync } from 'node:fs';
import type { AnyAdapterDefinition } from './core/define-adapter.js';
import type { Memorandum } from '../domain/memorandum.js';

/**
 * Adapters are found by the name a memorandum entry gives: `adapter: gas-lviv` is the default
 * export of adapters/gas-lviv/index.ts. The memorandum stays the one explicit list of partners (no
 * directory scan), and a partner joins with its own folder and its own entry, touching nothing else.
 */

const ADAPTER_NAME = /^[a-z][a-z0-9-]{1,40}$/;

function isAdapterDefinition(value: unknown): value is AnyAdapterDefinition {
  const v = value as Partial<AnyAdapterDefinition> | undefined;
  return typeof v?.name === 'string' && typeof v.domain === 'string' && typeof v.create === 'function' && v.options !== undefined;
}

/** The adapter in adapters/<name>/, or undefined when there is no such folder or it exports no adapter. */
export async function loadAdapter(name: string): Promise<AnyAdapterDefinition | undefined> {
  if (!ADAPTER_NAME.test(name) || name === 'core' || name === 'conformance') return undefined;
  if (!existsSync(new URL(`./${name}/`, import.meta.url))) return undefined;
  const module = (await import(`./${name}/index.js`)) as { default?: unknown };
  return isAdapterDefinition(module.default) && module.default.name === name ? module.default : undefined;
}

/** Every adapter the memorandum's entries name, by name; names with no adapter are left out. */
export async function loadAdapters(memorandum: Memorandum): Promise<Record<string, AnyAdapterDefinition>> {
  const adapters: Record<string, AnyAdapterDefinition> = {};
  // One at a time: Jest's ESM loader fails ("request for './validator.js' is not in cache") when two
  // adapters' concurrent imports link the same package (fast-xml-parser, heating and housing).
  for (const name of new Set(memorandum.partners.map((p) => p.adapter))) {
    const adapter = await loadAdapter(name);
    if (adapter) adapters[name] = adapter;
  }
  return adapters;
}
