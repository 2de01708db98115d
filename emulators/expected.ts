/**
 * What each emulated partner's adapter must return for given customers, derived from the
 * emulator's own records (emulators/<partner>/expected.ts), by the memorandum partner id: the
 * conformance suite's expected records (`npm run partner:check`, test/conformance).
 */
import type { Population } from './population/index.js';
import type { ExpectedData } from './kit/expected.js';
import { expectedGasKryvyiRih } from './gas-kryvyi-rih/expected.js';
import { expectedHeating } from './heating-kryvyi-rih/expected.js';
import { expectedWater } from './water-kryvyi-rih/expected.js';
import { expectedElectricity } from './electricity-kryvyi-rih/expected.js';
import { expectedCadastre } from './cadastre-dzk/expected.js';
import { expectedVehicles } from './vehicles-mvs/expected.js';
import { expectedGasVinnytsia } from './gas-vinnytsia/expected.js';
import { expectedHousing } from './housing-kryvyi-rih/expected.js';

export type { ExpectedData } from './kit/expected.js';

export const EXPECTED: Readonly<Record<string, (population: Population, taxIds: readonly string[]) => ExpectedData>> = {
  'gas-kryvyi-rih': expectedGasKryvyiRih,
  'heating-kryvyi-rih': expectedHeating,
  'water-kryvyi-rih': expectedWater,
  'electricity-kryvyi-rih': expectedElectricity,
  'cadastre-dzk': expectedCadastre,
  'vehicles-mvs': expectedVehicles,
  'gas-vinnytsia': expectedGasVinnytsia,
  'housing-kryvyi-rih': expectedHousing,
};
