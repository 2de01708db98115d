export * from './population.js';
export * from './random.js';
export { CITY, STREETS } from './names.js';
