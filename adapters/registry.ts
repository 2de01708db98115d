/**
 * Every adapter in the repository, by the name a memorandum entry's `adapter:` refers to.
 * A new partner adds its folder and one line here; nothing in gateway/, subgraphs/ or schema/ changes.
 */
import type { AnyAdapterDefinition } from './core/define-adapter.js';
import gasKryvyiRih from './gas-kryvyi-rih/index.js';
import heatingKryvyiRih from './heating-kryvyi-rih/index.js';
import waterKryvyiRih from './water-kryvyi-rih/index.js';
import electricityKryvyiRih from './electricity-kryvyi-rih/index.js';
import cadastreDzk from './cadastre-dzk/index.js';
import vehiclesMvs from './vehicles-mvs/index.js';
import gasVinnytsia from './gas-vinnytsia/index.js';

const ALL: readonly AnyAdapterDefinition[] = [gasKryvyiRih, heatingKryvyiRih, waterKryvyiRih, electricityKryvyiRih, cadastreDzk, vehiclesMvs, gasVinnytsia];

export const ADAPTERS: Readonly<Record<string, AnyAdapterDefinition>> = Object.fromEntries(ALL.map((a) => [a.name, a]));
