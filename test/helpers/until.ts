/**
 * Resolves once `condition()` holds, checking it every `everyMs`; fails naming `what` after
 * `timeoutMs`. For states that other parties reach in their own time (a client reconnecting, a
 * request arriving at a partner), never as a fixed sleep.
 */
export async function until(what: string, condition: () => boolean | Promise<boolean>, options: { timeoutMs?: number; everyMs?: number } = {}): Promise<void> {
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}
