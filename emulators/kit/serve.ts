import { listen as listenAndDrain, type ListenOptions, type RunningServer } from '../../platform/serve.js';

export { DEFAULT_DRAIN_MS, type ListenOptions, type RunningServer } from '../../platform/serve.js';

/**
 * The platform's listen (platform/serve.ts) for emulated partners, whose close() cuts at once unless
 * given a drain time: a request an emulator holds (`hang`) has no answer to finish, and tests close
 * emulators in the middle of their faults. Services import platform/serve.ts itself.
 */
export function listen(handler: Parameters<typeof listenAndDrain>[0], options: ListenOptions = {}): Promise<RunningServer> {
  return listenAndDrain(handler, { ...options, drainMs: options.drainMs ?? 0 });
}
