/**
 * The adapter contract: what each domain's adapter must do. Subgraphs call only these operations.
 *
 * Batch rule (as graphql/dataloader): a batch operation gets keys and resolves to an array of the
 * same length, in the same order, holding for each key either its value or an Error (a per-key
 * failure, which must not fail the other keys). A person unknown to the partner is an empty list:
 * the partner answered "no records". A key the partner's answer leaves out altogether is a
 * per-key PARTNER_BAD_RESPONSE.
 *
 * Every error that leaves an operation is a catalogued ViknoError (domain/errors.ts).
 */
import type {
  ElectricityAccount, GasAccount, HeatingAccount, HousingAccount, LandParcel, RegistryExtract, Tariff, Vehicle, WaterAccount,
} from '../../domain/model.js';

/** Who is asking and why; travels to the partners that want it (X-Road-style headers). */
export interface CallContext {
  requestId: string;
  /** The official acting, for registries that record it. */
  officialId?: string;
  /** The purpose of the look-up (queue ticket or case number). */
  purpose?: string;
  /**
   * Epoch ms by which the whole answer must be ready (the gateway's answer budget): every partner
   * operation of the request, however many calls it makes, ends by then.
   */
  deadlineAt?: number;
}

export type BatchResult<T> = Array<T | Error>;

export interface UtilityOperations<A> {
  /** Accounts of each person. Batch rule above. */
  accountsByTaxIds(taxIds: readonly string[], call: CallContext): Promise<BatchResult<A[]>>;
  /** The partner's published tariffs, current and past. */
  tariffs(call: CallContext): Promise<Tariff[]>;
}

export interface CadastreOperations {
  /** Land parcels each person owns or uses. Batch rule above. */
  parcelsByOwners(taxIds: readonly string[], call: CallContext): Promise<BatchResult<LandParcel[]>>;
  /** Issues an extract from the land cadastre for one parcel. */
  parcelExtract(cadastralNumber: string, call: CallContext): Promise<RegistryExtract>;
}

export interface VehicleOperations {
  /** Vehicles registered to each person. Batch rule above. */
  vehiclesByOwners(taxIds: readonly string[], call: CallContext): Promise<BatchResult<Vehicle[]>>;
  /** Issues a registration extract for one vehicle. */
  registrationExtract(vin: string, call: CallContext): Promise<RegistryExtract>;
}

export interface DomainOperations {
  gas: UtilityOperations<GasAccount>;
  heating: UtilityOperations<HeatingAccount>;
  water: UtilityOperations<WaterAccount>;
  electricity: UtilityOperations<ElectricityAccount>;
  cadastre: CadastreOperations;
  vehicles: VehicleOperations;
  housing: UtilityOperations<HousingAccount>;
}
