import type { KeyvStoreAdapter } from 'keyv';
import type { Domain, PartnerRef } from '../../domain/model.js';
import type { AnyAdapterDefinition } from './define-adapter.js';
import type { DomainOperations } from './contract.js';
import { createPartnerHttp } from './http.js';
import { createPartnerCache } from './cache.js';
import type { Logger } from './logger.js';
import type { Clock } from './clock.js';
import type { StatusBoard } from './status-board.js';
import { issuesToProblems, MemorandumError, type Memorandum, type PartnerEntry } from './memorandum.js';

/** A partner ready to be called: its identity from the memorandum and its adapter's operations. */
export interface Partner<D extends Domain = Domain> {
  ref: PartnerRef;
  entry: PartnerEntry;
  domain: D;
  maxBatchSize: number;
  ops: DomainOperations[D];
}

export interface CreatePartnersOptions {
  memorandum: Memorandum;
  /** Adapters by name (loadAdapters in adapters/registry.ts). */
  adapters: Readonly<Record<string, AnyAdapterDefinition>>;
  /** Where credentials are read from: process.env in production, generated ones in the embedded default. */
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  clock: Clock;
  cacheStore?: KeyvStoreAdapter | Map<unknown, unknown>;
  /** Where call outcomes are recorded, for the partners' live status. */
  statusBoard?: StatusBoard;
  /** Base URLs that replace the memorandum's, by partner id (the embedded default binds emulators to free ports). */
  baseUrls?: Readonly<Record<string, string>>;
  /** Only partners of these domains (a subgraph builds only its own). */
  domains?: readonly Domain[];
  file?: string;
}

/**
 * Builds every enabled partner of the memorandum. All configuration mistakes are collected and
 * thrown together as one MemorandumError naming the file, the partner and the field.
 */
export function createPartners(options: CreatePartnersOptions): Partner[] {
  const file = options.file ?? 'memorandum.yaml';
  const problems: string[] = [];
  const partners: Partner[] = [];

  options.memorandum.partners.forEach((entry, index) => {
    if (!entry.enabled) return;
    if (options.domains && !options.domains.includes(entry.domain as Domain)) return;
    const at = (...field: PropertyKey[]) => ['partners', index, ...field];
    const problem = (field: PropertyKey[], message: string) => problems.push(...issuesToProblems(file, [{ path: at(...field), message } as never]));

    const definition = options.adapters[entry.adapter];
    if (!definition) return problem(['adapter'], `no adapter "${entry.adapter}": adapters/${entry.adapter}/index.ts must default-export defineAdapter({ name: '${entry.adapter}', … })`);
    if (definition.domain !== entry.domain) return problem(['domain'], `adapter "${entry.adapter}" serves ${definition.domain}, not ${entry.domain}`);

    const parsedOptions = definition.options.safeParse(entry.options);
    if (!parsedOptions.success) return void problems.push(...issuesToProblems(file, parsedOptions.error.issues, at('options')));

    const secrets: Record<string, string> = {};
    for (const name of definition.credentials) {
      const variable = entry.connection.credentials[name];
      if (!variable) { problem(['connection', 'credentials', name], `missing: adapter "${entry.adapter}" needs it`); continue; }
      const value = options.env[variable];
      if (!value) { problem(['connection', 'credentials', name], `environment variable ${variable} is not set`); continue; }
      secrets[name] = value;
    }
    if (Object.keys(secrets).length !== definition.credentials.length) return;

    const ref: PartnerRef = { id: entry.id, name: entry.name };
    const log = options.log.child({ partner: entry.id });
    const ttlSeconds = { ...definition.cacheTtlSeconds, ...entry.connection.cacheTtlSeconds };
    const ops = definition.create({
      partner: ref,
      options: parsedOptions.data,
      secrets,
      ttlMs: Object.fromEntries(Object.entries(ttlSeconds).map(([k, s]) => [k, s * 1000])),
      http: createPartnerHttp({
        partnerId: entry.id,
        baseUrl: options.baseUrls?.[entry.id] ?? entry.connection.baseUrl,
        timeoutMs: entry.connection.timeoutMs,
        retryLimit: definition.retryLimit,
        log,
        onOutcome: options.statusBoard ? (ok) => options.statusBoard!.record(entry.id, ok) : undefined,
      }),
      cache: createPartnerCache({ store: options.cacheStore, namespace: `partner:${entry.id}`, clock: options.clock }),
      log,
      clock: options.clock,
    });
    partners.push({ ref, entry, domain: entry.domain as Domain, maxBatchSize: definition.maxBatchSize, ops });
  });

  if (problems.length) throw new MemorandumError(problems);
  return partners;
}
