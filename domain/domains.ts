/**
 * What each domain is, declared once. Everything that differs between domains is read from here:
 * the adapter contract (adapters/core/contract.ts), the staff scopes (identity/principal.ts), the
 * schema's subgraph list and SDL files (schema/index.ts), the subgraphs' wiring (subgraphs/index.ts),
 * the resilience around partner operations, chosen by an operation's kind and never by its name
 * (adapters/core/resilient.ts), the conformance suite's probes, the adapter scaffold and the
 * generated compose file.
 *
 * Adding a domain (docs/DOMAINS.md): one entry here, its SDL file (schema/subgraphs/<id>.graphql),
 * its item type in domain/model.ts (the shape its adapters hand over), a subgraph folder only if it
 * needs resolvers of its own, and its partners' adapters and memorandum entries; then `npm run
 * compose`, `npm run codegen` and `npm run deploy:files` regenerate what is generated from them.
 */
import type {
  ElectricityAccount, GasAccount, HeatingAccount, HousingAccount, LandParcel, Vehicle, WaterAccount,
} from './model.js';

/**
 * How a partner operation behaves, which decides what is put around it:
 * - `batchByOwner`: each person's records (keys → one list per key); cached per person, served
 *   stale when the partner fails, concurrent asks for one person share a call;
 * - `document`: issues one document about one subject (an extract): every call asks the partner,
 *   never cached, shared or retried; what it issued is kept for reading (`issuedExtract`);
 * - `list`: the partner's published reference data (tariffs); the deadline only.
 */
export type OperationKind = 'batchByOwner' | 'document' | 'list';

/** What every domain declares. */
interface DeclarationBase<Item> {
  /** The domain's id: the subgraph's name, the memorandum's `domain`, the scope's prefix. */
  readonly id: string;
  /** In Ukrainian, for people (the console's region titles, reports). */
  readonly title: string;
  /** The field the domain adds to `Citizen`. */
  readonly citizenField: string;
  /** The GraphQL type of one item of that field. */
  readonly itemType: string;
  /** What one item is called in reports: account, parcel, vehicle. */
  readonly noun: string;
  /** The staff scope that reads this domain. */
  readonly scope: `${string}:read`;
  /** The port its subgraph listens on by default (one process per service). */
  readonly defaultPort: number;
  /** The adapter's operations and their kinds. */
  readonly operations: Readonly<Record<string, OperationKind>>;
  /** Types only: the model type of one item. */
  readonly item?: Item;
}

/** A utility: accounts of a person with bills and readings, and the partner's published tariffs. */
export interface UtilityDeclaration<Item = unknown> extends DeclarationBase<Item> {
  readonly kind: 'utility';
  /** The `UtilityService` value of its accounts and tariffs. */
  readonly service: string;
  /** The root field listing the partners' published tariffs. */
  readonly tariffsField: string;
  readonly operations: { readonly accountsByTaxIds: 'batchByOwner'; readonly tariffs: 'list' };
}

/** A state registry: a person's records, each of which can have an extract issued. */
export interface RegistryDeclaration<Item = unknown, List extends string = string, Extract extends string = string> extends DeclarationBase<Item> {
  readonly kind: 'registry';
  /** The batch operation listing each person's items. */
  readonly listOperation: List;
  /** The operation issuing an extract about one item. */
  readonly extractOperation: Extract;
  /** The item's field the extract is issued for (its registry key). */
  readonly extractSubject: string;
  /**
   * The entity through which the centre's mutation has an extract issued (schema/subgraphs/centre.graphql,
   * domain/extract-issuance.ts), keyed by `taxId <extractSubject> purpose`.
   */
  readonly issuanceType: string;
  readonly operations: Readonly<Record<List, 'batchByOwner'> & Record<Extract, 'document'>>;
}

export type DomainDeclaration = UtilityDeclaration | RegistryDeclaration;

/** A declaration as the rest of the code reads it: its id is one of the domains. */
export type Declared<T extends DomainDeclaration = DomainDeclaration> = T & { readonly id: Domain };

type UtilityInput = Omit<UtilityDeclaration, 'kind' | 'operations' | 'scope' | 'item' | 'noun'>;
type RegistryInput<L extends string, X extends string> = Omit<RegistryDeclaration<unknown, L, X>, 'kind' | 'operations' | 'scope' | 'item'>;

/** A utility domain's declaration, typed by its account type. */
const utility = <Item>() => <const I extends UtilityInput>(input: I): I & UtilityDeclaration<Item> => ({
  ...input, kind: 'utility', noun: 'account', scope: `${input.id}:read`,
  operations: { accountsByTaxIds: 'batchByOwner', tariffs: 'list' },
});

/** A registry domain's declaration, typed by its item type and its operations' names. */
const registry = <Item>() => <const L extends string, const X extends string, const I extends RegistryInput<L, X>>(input: I & RegistryInput<L, X>) =>
  ({
    ...input, kind: 'registry', scope: `${input.id}:read`,
    operations: { [input.listOperation]: 'batchByOwner', [input.extractOperation]: 'document' },
  }) as unknown as I & RegistryDeclaration<Item, L, X>;

export const DOMAIN_DECLARATIONS = {
  gas: utility<GasAccount>()({
    id: 'gas', title: 'Газопостачання', citizenField: 'gasAccounts', itemType: 'GasAccount', service: 'GAS', tariffsField: 'gasTariffs', defaultPort: 4002,
  }),
  heating: utility<HeatingAccount>()({
    id: 'heating', title: 'Теплопостачання', citizenField: 'heatingAccounts', itemType: 'HeatingAccount', service: 'HEATING', tariffsField: 'heatingTariffs', defaultPort: 4003,
  }),
  water: utility<WaterAccount>()({
    id: 'water', title: 'Водопостачання', citizenField: 'waterAccounts', itemType: 'WaterAccount', service: 'WATER', tariffsField: 'waterTariffs', defaultPort: 4004,
  }),
  electricity: utility<ElectricityAccount>()({
    id: 'electricity', title: 'Електропостачання', citizenField: 'electricityAccounts', itemType: 'ElectricityAccount', service: 'ELECTRICITY', tariffsField: 'electricityTariffs', defaultPort: 4005,
  }),
  cadastre: registry<LandParcel>()({
    id: 'cadastre', title: 'Земельні ділянки', citizenField: 'landParcels', itemType: 'LandParcel', noun: 'parcel', defaultPort: 4006,
    listOperation: 'parcelsByOwners', extractOperation: 'parcelExtract', extractSubject: 'cadastralNumber', issuanceType: 'ParcelExtractIssuance',
  }),
  vehicles: registry<Vehicle>()({
    id: 'vehicles', title: 'Транспортні засоби', citizenField: 'vehicles', itemType: 'Vehicle', noun: 'vehicle', defaultPort: 4007,
    listOperation: 'vehiclesByOwners', extractOperation: 'registrationExtract', extractSubject: 'vin', issuanceType: 'VehicleExtractIssuance',
  }),
  housing: utility<HousingAccount>()({
    id: 'housing', title: 'Утримання будинку', citizenField: 'housingAccounts', itemType: 'HousingAccount', service: 'HOUSING', tariffsField: 'housingTariffs', defaultPort: 4008,
  }),
} as const;

export type Domain = keyof typeof DOMAIN_DECLARATIONS;
export type DeclarationOf<D extends Domain> = (typeof DOMAIN_DECLARATIONS)[D];

/** Every domain, in the order of their declarations (the schema's, the console's, the reports'). */
export const DOMAINS = Object.keys(DOMAIN_DECLARATIONS) as Domain[];

export const isDomain = (value: unknown): value is Domain => typeof value === 'string' && Object.hasOwn(DOMAIN_DECLARATIONS, value);

export function declarationOf(domain: Domain): Declared<UtilityDeclaration> | Declared<RegistryDeclaration> {
  return DOMAIN_DECLARATIONS[domain] as Declared<UtilityDeclaration> | Declared<RegistryDeclaration>;
}

/** The domains of one kind. */
export const domainsOfKind = (kind: DomainDeclaration['kind']): Domain[] => DOMAINS.filter((d) => declarationOf(d).kind === kind);

/**
 * The entity types whose representations name a person, and the key field that does. The gateway
 * records a look-up of that person before it sends any fetch carrying one; a representation of a
 * type neither here nor in IMPERSONAL_ENTITIES fails closed.
 */
export const PERSON_KEYS: Readonly<Record<string, string>> = { Citizen: 'taxId' };

/** Entity types resolved by key that are about no person (a partner of the memorandum). */
export const IMPERSONAL_ENTITIES: ReadonlySet<string> = new Set(['Partner']);
