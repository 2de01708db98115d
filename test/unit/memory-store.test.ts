import { createMemoryStore } from '../../platform/store.js';

describe('the in-memory store', () => {
  it('keeps a value until its time to live, per namespace', async () => {
    const store = createMemoryStore();
    const records = store.keyv<{ accounts: string[] }>('records');
    const extracts = store.keyv<{ accounts: string[] }>('extracts');
    await records.set('person', { accounts: ['1263130249'] }, 60_000);
    expect([await records.get('person'), await extracts.get('person')]).toEqual([{ accounts: ['1263130249'] }, undefined]);
  });

  it('forgets the least recently used entries past its bound, so a day of stale copies cannot fill the memory', async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    const keyv = store.keyv<number>('records');
    for (const n of [1, 2, 3]) await keyv.set(`p${n}`, n, 60_000);
    await keyv.get('p1'); // used again: p2 is now the least recently used
    await keyv.set('p4', 4, 60_000);
    expect(await Promise.all(['p1', 'p2', 'p3', 'p4'].map((k) => keyv.get(k)))).toEqual([1, undefined, 3, 4]);
  });
});
