import { createPartnerCache } from '../../adapters/core/cache.js';
import { fixedClock } from '../../platform/clock.js';
import { PartnerUnavailableError } from '../../domain/errors.js';

const clock = fixedClock('2026-11-22T09:00:00.000Z');

describe('the partner cache', () => {
  it('lets callers that miss together share one load, and serves the next from the cache', async () => {
    const cache = createPartnerCache({ namespace: 'partner:test', clock });
    let loads = 0;
    const load = async () => { loads += 1; return ['tariff']; };
    const [a, b] = await Promise.all([cache.getOrLoad('tariffs', 60_000, load), cache.getOrLoad('tariffs', 60_000, load)]);
    expect(loads).toBe(1);
    expect(a).toEqual({ value: ['tariff'], fetchedAt: '2026-11-22T09:00:00.000Z', hit: false });
    expect(b).toBe(a);
    expect(await cache.getOrLoad('tariffs', 60_000, load)).toEqual({ value: ['tariff'], fetchedAt: '2026-11-22T09:00:00.000Z', hit: true });
    expect(loads).toBe(1);
  });

  it('never caches a failure: the next call asks again', async () => {
    const cache = createPartnerCache({ namespace: 'partner:test', clock });
    const failure = new PartnerUnavailableError('test');
    await expect(Promise.all([
      cache.getOrLoad('tariffs', 60_000, async () => { throw failure; }),
      cache.getOrLoad('tariffs', 60_000, async () => ['never called']),
    ])).rejects.toBe(failure);
    expect(await cache.getOrLoad('tariffs', 60_000, async () => ['fresh'])).toEqual({ value: ['fresh'], fetchedAt: '2026-11-22T09:00:00.000Z', hit: false });
  });

  it('keeps partners apart in one shared store', async () => {
    const store = new Map();
    const gas = createPartnerCache({ store, namespace: 'partner:gas', clock });
    const water = createPartnerCache({ store, namespace: 'partner:water', clock });
    await gas.getOrLoad('tariffs', 60_000, async () => 'gas tariffs');
    expect((await water.getOrLoad('tariffs', 60_000, async () => 'water tariffs')).value).toBe('water tariffs');
    expect((await gas.getOrLoad('tariffs', 60_000, async () => 'reloaded')).value).toBe('gas tariffs');
  });
});
