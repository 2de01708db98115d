/** The emulated partner systems, by the memorandum partner id they stand in for. */
import type { EmulatorFactory } from './kit/emulator.js';
import { createGasKryvyiRihEmulator } from './gas-kryvyi-rih/index.js';
import { createHeatingKryvyiRihEmulator } from './heating-kryvyi-rih/index.js';
import { createWaterKryvyiRihEmulator } from './water-kryvyi-rih/index.js';
import { createElectricityKryvyiRihEmulator } from './electricity-kryvyi-rih/index.js';
import { createCadastreDzkEmulator } from './cadastre-dzk/index.js';
import { createVehiclesMvsEmulator } from './vehicles-mvs/index.js';
import { createGasVinnytsiaEmulator } from './gas-vinnytsia/index.js';
import { createHousingKryvyiRihEmulator } from './housing-kryvyi-rih/index.js';

export const EMULATORS: Readonly<Record<string, EmulatorFactory>> = {
  'gas-kryvyi-rih': createGasKryvyiRihEmulator,
  'heating-kryvyi-rih': createHeatingKryvyiRihEmulator,
  'water-kryvyi-rih': createWaterKryvyiRihEmulator,
  'electricity-kryvyi-rih': createElectricityKryvyiRihEmulator,
  'cadastre-dzk': createCadastreDzkEmulator,
  'vehicles-mvs': createVehiclesMvsEmulator,
  'gas-vinnytsia': createGasVinnytsiaEmulator,
  'housing-kryvyi-rih': createHousingKryvyiRihEmulator,
};
