import type {
  BatchResult, CadastreOperations, CallContext, DomainOperations, UtilityOperations, VehicleOperations,
} from '../core/contract.js';
import type { Domain, Tariff, UtilityService } from '../../domain/model.js';
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

const SERVICES: Partial<Record<Domain, UtilityService>> = {
  gas: 'GAS', heating: 'HEATING', water: 'WATER', electricity: 'ELECTRICITY', housing: 'HOUSING',
};

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

const subjectOf = (item: unknown, field: 'cadastralNumber' | 'vin'): string =>
  String((item as Record<string, unknown> | null)?.[field] ?? '');

const cadastre: DomainProbe = {
  domain: 'cadastre', noun: 'parcel', batchOp: 'parcelsByOwners', singleOp: 'parcelExtract', needsItem: true, isUtility: false,
  batch: (o, keys, call) => (o as CadastreOperations).parcelsByOwners(keys, call),
  single: (o, call, item) => (o as CadastreOperations).parcelExtract(subjectOf(item, 'cadastralNumber'), call),
  validateItem: (problems, item, partnerId, _tariffs, where) => validateParcel(problems, item, partnerId, where),
  validateSingle: (problems, result, partnerId, item, where) =>
    validateExtract(problems, result, partnerId, subjectOf(item, 'cadastralNumber'), where),
  personalValues: registryPersonalValues,
};

const vehicles: DomainProbe = {
  domain: 'vehicles', noun: 'vehicle', batchOp: 'vehiclesByOwners', singleOp: 'registrationExtract', needsItem: true, isUtility: false,
  batch: (o, keys, call) => (o as VehicleOperations).vehiclesByOwners(keys, call),
  single: (o, call, item) => (o as VehicleOperations).registrationExtract(subjectOf(item, 'vin'), call),
  validateItem: (problems, item, partnerId, _tariffs, where) => validateVehicle(problems, item, partnerId, where),
  validateSingle: (problems, result, partnerId, item, where) => validateExtract(problems, result, partnerId, subjectOf(item, 'vin'), where),
  personalValues: registryPersonalValues,
};

export function probeFor(domain: Domain): DomainProbe {
  const service = SERVICES[domain];
  if (service) return utilityProbe(domain, service);
  if (domain === 'cadastre') return cadastre;
  if (domain === 'vehicles') return vehicles;
  throw new TypeError(`the conformance suite knows no domain "${String(domain)}"`);
}
