export * from './emulator.js';
export * from './serve.js';
export * from './faults.js';
export * from './admin.js';
