import { asyncSlot, currentRequest, runInRequest } from '../../platform/request-context.js';
import { ROOT_CONTEXT } from '@opentelemetry/api';

/** The one AsyncLocalStorage of a process, in slots: each value is carried through awaits, beside the others. */
describe('asyncSlot', () => {
  const deadline = asyncSlot<number>('test deadline');
  const other = asyncSlot<string>('test other');

  it('carries each value through awaits and timers, beside the other slots, and only inside its run', async () => {
    const seen = await deadline.run(1, () => other.run('x', async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return [deadline.get(), other.get()];
    }));
    expect(seen).toEqual([1, 'x']);
    expect([deadline.get(), other.get()]).toEqual([undefined, undefined]);
  });

  it('lets an inner run replace its own slot for the work it starts only', async () => {
    const seen = await deadline.run(1, async () => {
      const inner = await deadline.run(2, async () => deadline.get());
      return [inner, deadline.get()];
    });
    expect(seen).toEqual([2, 1]);
  });

  it('starts a request alone: nothing of the work that accepted it, then its deadlines beside its scope', async () => {
    const scope = { requestId: 'desk-7-ticket-0042', trace: ROOT_CONTEXT };
    const seen = await deadline.run(1, () => runInRequest(scope, async () => {
      const before = deadline.get();
      const during = await deadline.run(5, async () => [deadline.get(), currentRequest()?.requestId]);
      return [before, ...during];
    }));
    expect(seen).toEqual([undefined, 5, 'desk-7-ticket-0042']);
  });
});
