import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOMAINS, type Domain } from '../../domain/model.js';
import { parseMemorandum } from '../../domain/memorandum.js';
import { adapterTemplate, memorandumEntry, testTemplate } from './templates.js';

export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

export interface ScaffoldOptions {
  /** The project's root folder. */
  root: string;
  id: string;
  domain: string;
  /** YYYY-MM-DD, the joined date of the new entry. */
  today: string;
}

/**
 * Writes a new partner's starting point: an adapter folder whose skeleton compiles, a test with a
 * nock fixture to fill (failing until it is) and a disabled memorandum entry naming the adapter
 * (which is how the core finds it). Returns the files it wrote or changed.
 */
export function scaffoldPartner(options: ScaffoldOptions): string[] {
  const { root, id, today } = options;
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(id)) throw new ScaffoldError(`partner id "${id}" must be lower-case letters, digits and dashes, e.g. gas-lviv`);
  if (!DOMAINS.includes(options.domain as Domain)) throw new ScaffoldError(`--domain must be one of ${DOMAINS.join(', ')}, got "${options.domain}"`);
  const domain = options.domain as Domain;
  const memorandumFile = path.join(root, 'memorandum.yaml');
  const adapterDir = path.join(root, 'adapters', id);
  const memorandumText = readFileSync(memorandumFile, 'utf8');
  if (parseMemorandum(memorandumText).partners.some((p) => p.id === id)) throw new ScaffoldError(`memorandum.yaml already has a partner "${id}"`);
  if (existsSync(adapterDir)) throw new ScaffoldError(`adapters/${id}/ already exists`);

  const files: Array<[string, string]> = [
    [path.join(adapterDir, 'index.ts'), adapterTemplate(id, domain)],
    [path.join(root, 'test', 'adapters', `${id}.test.ts`), testTemplate(id, domain)],
    [path.join(root, 'test', 'fixtures', id, 'customer.json'), '{ "TODO": "paste a real, anonymised answer of your system for one customer" }\n'],
    [memorandumFile, `${memorandumText.trimEnd()}\n${memorandumEntry(id, domain, today)}`],
  ];
  for (const [file, text] of files) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  parseMemorandum(readFileSync(memorandumFile, 'utf8')); // the new entry must leave the file valid
  return files.map(([file]) => path.relative(root, file));
}
