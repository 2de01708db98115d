import type { VehicleOperations } from '../../adapters/core/contract.js';
import type { Vehicle } from '../../domain/model.js';
import { createRegistrySubgraph, type RegistrySubgraphOptions } from '../registry/create-registry-subgraph.js';

const ops = (p: { ops: unknown }) => p.ops as VehicleOperations;

export function createVehiclesSubgraph(options: RegistrySubgraphOptions) {
  return createRegistrySubgraph<Vehicle>({
    name: 'vehicles',
    citizenField: 'vehicles',
    issuanceType: 'VehicleExtractIssuance',
    itemId: (item) => item.vin,
    itemType: 'Vehicle',
    listByOwners: (partner, taxIds, call) => ops(partner).vehiclesByOwners(taxIds, call),
    issueExtract: (partner, vehicle, call) => ops(partner).registrationExtract(vehicle.vin, call),
  }, options);
}
