import type { BatchResult, CallContext, DomainOperations, UtilityOperations } from '../core/contract.js';
import { declarationOf, isDomain, type Declared, type Domain, type RegistryDeclaration } from '../../domain/domains.js';
import type { Tariff, UtilityService } from '../../domain/model.js';
import type { Problems } from './validate.js';
import { accountPersonalValues, validateAccount, validateTariff } from './validate-utility.js';
import { registryPersonalValues, validateExtract, validateParcel, validateVehicle } from './validate-registry.js';

/**
 * What the suite needs to know about a domain, and nothing about any partner's dialect: its batch
 * operation, the other operation it exercises under faults, and how its items are checked.
 */
export interface DomainProbe {
  domain: Domain;
  /** What one item is called in the report: account, parcel, vehicle. */
  noun: string;
  batchOp: string;
  batch(ops: DomainOperations[Domain], keys: readonly string[], call: CallContext): Promise<BatchResult<unknown[]>>;
  /** tariffs for utilities, the extract for registries. */
  singleOp: string;
  /** Whether the other operation needs an item from the batch (the extract's subject). */
  needsItem: boolean;
  single(ops: DomainOperations[Domain], call: CallContext, item?: unknown): Promise<unknown>;
  /** Checks one item; `tariffs` is what tariffs() returned (utilities), null otherwise or on failure. */
  validateItem(problems: Problems, item: unknown, partnerId: string, tariffs: readonly Tariff[] | null, where: string): void;
  /** Checks what `single` returned for an item. */
  validateSingle(problems: Problems, result: unknown, partnerId: string, item: unknown, where: string): void;
  personalValues(item: unknown): string[];
  isUtility: boolean;
}

function utilityProbe(domain: Domain, service: UtilityService): DomainProbe {
  const ops = (o: unknown) => o as UtilityOperations<unknown>;
  return {
    domain, noun: 'account', batchOp: 'accountsByTaxIds', singleOp: 'tariffs', needsItem: false, isUtility: true,
    batch: (o, keys, call) => ops(o).accountsByTaxIds(keys, call),
    single: (o, call) => ops(o).tariffs(call),
    validateItem: (problems, item, partnerId, tariffs, where) => validateAccount(problems, item, { partnerId, service, tariffs }, where),
    validateSingle(problems, result, partnerId, _item, where) {
      if (!Array.isArray(result) || result.length === 0) return problems.expect(false, 'shape', where, 'is not a non-empty list');
      result.forEach((tariff, i) => validateTariff(problems, tariff, partnerId, service, `${where}[${i}]`));
    },
    personalValues: accountPersonalValues,
  };
}

/** How one item of each registry's listing is checked, by its GraphQL type. */
const REGISTRY_ITEM_CHECKS: Readonly<Record<string, (problems: Problems, item: unknown, partnerId: string, where: string) => void>> = {
  LandParcel: validateParcel,
  Vehicle: validateVehicle,
};

type Operation = (...args: unknown[]) => Promise<unknown>;

function registryProbe(declaration: Declared<RegistryDeclaration>): DomainProbe {
  const { id, listOperation, extractOperation, extractSubject } = declaration;
  const validate = REGISTRY_ITEM_CHECKS[declaration.itemType];
  if (!validate) throw new TypeError(`the conformance suite has no check for ${declaration.itemType} items (adapters/conformance/probes.ts)`);
  const op = (o: unknown, name: string) => (o as Record<string, Operation>)[name].bind(o);
  const subjectOf = (item: unknown) => String((item as Record<string, unknown> | null)?.[extractSubject] ?? '');
  return {
    domain: id, noun: declaration.noun, batchOp: listOperation, singleOp: extractOperation, needsItem: true, isUtility: false,
    batch: (o, keys, call) => op(o, listOperation)(keys, call) as Promise<BatchResult<unknown[]>>,
    single: (o, call, item) => op(o, extractOperation)(subjectOf(item), call),
    validateItem: (problems, item, partnerId, _tariffs, where) => validate(problems, item, partnerId, where),
    validateSingle: (problems, result, partnerId, item, where) => validateExtract(problems, result, partnerId, subjectOf(item), where),
    personalValues: registryPersonalValues,
  };
}

/** The probe of a domain, from its declaration (domain/domains.ts). */
export function probeFor(domain: Domain): DomainProbe {
  if (!isDomain(domain)) throw new TypeError(`the conformance suite knows no domain "${String(domain)}"`);
  const declaration = declarationOf(domain);
  return declaration.kind === 'utility' ? utilityProbe(domain, declaration.service as UtilityService) : registryProbe(declaration);
}
