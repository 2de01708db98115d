export * from './emulator.js';
export * from './serve.js';
