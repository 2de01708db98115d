import type { CadastreOperations } from '../../adapters/core/contract.js';
import type { LandParcel } from '../../domain/model.js';
import { createRegistrySubgraph, type RegistrySubgraphOptions } from '../registry/create-registry-subgraph.js';

const ops = (p: { ops: unknown }) => p.ops as CadastreOperations;

export function createCadastreSubgraph(options: RegistrySubgraphOptions) {
  return createRegistrySubgraph<LandParcel>({
    name: 'cadastre',
    citizenField: 'landParcels',
    issuanceType: 'ParcelExtractIssuance',
    itemId: (item) => item.cadastralNumber,
    itemType: 'LandParcel',
    listByOwners: (partner, taxIds, call) => ops(partner).parcelsByOwners(taxIds, call),
    issueExtract: (partner, parcel, call) => ops(partner).parcelExtract(parcel.cadastralNumber, call),
  }, options);
}
