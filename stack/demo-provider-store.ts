/**
 * Where the demo OpenID provider keeps its sessions, grants, codes and tokens: in this process's
 * memory, bounded, each entry for its own lifetime. A restart signs everyone out, which a demo can
 * afford; a real provider keeps these in a database.
 */
import { LRUCache } from 'lru-cache';
import type { Adapter, AdapterPayload } from 'oidc-provider';

export function demoProviderStore(max = 10_000): (name: string) => Adapter {
  const entries = new LRUCache<string, AdapterPayload>({ max });
  const index = new LRUCache<string, string | string[]>({ max });
  return (name) => {
    const key = (id: string) => `${name}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const ttl = expiresIn ? expiresIn * 1000 : undefined;
        entries.set(key(id), payload, { ttl });
        if (payload.uid) index.set(`uid:${payload.uid}`, key(id), { ttl });
        if (payload.userCode) index.set(`userCode:${payload.userCode}`, key(id), { ttl });
        if (payload.grantId) {
          const grant = `grant:${payload.grantId}`;
          const keys = (index.get(grant) as string[] | undefined) ?? [];
          index.set(grant, [...keys, key(id)]);
        }
      },
      async find(id) { return entries.get(key(id)); },
      async findByUid(uid) { const k = index.get(`uid:${uid}`); return typeof k === 'string' ? entries.get(k) : undefined; },
      async findByUserCode(userCode) { const k = index.get(`userCode:${userCode}`); return typeof k === 'string' ? entries.get(k) : undefined; },
      async consume(id) {
        const entry = entries.get(key(id));
        if (entry) entry.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) { entries.delete(key(id)); },
      async revokeByGrantId(grantId) {
        const grant = `grant:${grantId}`;
        for (const k of (index.get(grant) as string[] | undefined) ?? []) entries.delete(k);
        index.delete(grant);
      },
    };
  };
}
