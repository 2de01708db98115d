import { createSecurityLog, type SecurityLog } from '../../audit/security-log.js';
import type { Clock } from '../../platform/clock.js';
import { describeStores } from './stores.js';

/** A clock the test moves by hand. */
function manualClock(startIso = '2026-01-15T09:00:00.000Z') {
  let at = Date.parse(startIso);
  const clock: Clock & { advance(seconds: number): void } = { now: () => new Date(at), advance: (s) => { at += s * 1000; } };
  return clock;
}

const event = (address: string, n = 0) => ({ address, reason: 'UNAUTHENTICATED', method: 'POST', path: `/graphql/${n}` });

describeStores('the security log', (store) => {
  async function log(options: Partial<Parameters<typeof createSecurityLog>[0]> = {}): Promise<SecurityLog & { table: string }> {
    const name = store().newTable();
    const created = createSecurityLog({ client: store().client, clock: manualClock(), table: name, ...options });
    await created.migrate();
    await created.migrate(); // idempotent
    return Object.assign(created, { table: name });
  }

  it('keeps at most `capacity` events, overwriting the oldest in turn', async () => {
    const securityLog = await log({ capacity: 3, perAddress: { events: 100, windowSeconds: 60 } });
    for (let n = 1; n <= 7; n++) expect(await securityLog.record(event(`192.0.2.${n}`, n))).toBe(true);
    const recent = await securityLog.recent(10);
    expect(recent.map(({ address, path }) => [address, path])).toEqual([['192.0.2.7', '/graphql/7'], ['192.0.2.6', '/graphql/6'], ['192.0.2.5', '/graphql/5']]);
    expect(recent.map((e) => e.n)).toEqual([recent[0].n, recent[0].n - 1, recent[0].n - 2]);
    const { rows } = await store().client.query<{ slots: number }>(`SELECT count(*)::int AS slots FROM ${securityLog.table}`);
    expect(rows).toEqual([{ slots: 3 }]);
  });

  it('writes at most `events` a window from one address, counts the rest, and writes again in the next window', async () => {
    const clock = manualClock();
    const securityLog = await log({ clock, perAddress: { events: 2, windowSeconds: 60 } });
    const results = [];
    for (let n = 0; n < 5; n++) results.push(await securityLog.record(event('198.51.100.1', n)));
    results.push(await securityLog.record(event('198.51.100.2')));
    expect(results).toEqual([true, true, false, false, false, true]);
    expect(securityLog.suppressed()).toBe(3);
    clock.advance(60);
    expect(await securityLog.record(event('198.51.100.1', 9))).toBe(true);
    expect((await securityLog.recent(10)).map((e) => [e.address, e.path, e.at])).toEqual([
      ['198.51.100.1', '/graphql/9', '2026-01-15T09:01:00.000Z'],
      ['198.51.100.2', '/graphql/0', '2026-01-15T09:00:00.000Z'],
      ['198.51.100.1', '/graphql/1', '2026-01-15T09:00:00.000Z'],
      ['198.51.100.1', '/graphql/0', '2026-01-15T09:00:00.000Z'],
    ]);
  });

  it('remembers at most `maxAddresses` addresses, forgetting the least recently seen first', async () => {
    const securityLog = await log({ perAddress: { events: 1, windowSeconds: 60 }, maxAddresses: 2 });
    expect(await securityLog.record(event('203.0.113.1'))).toBe(true);
    expect(await securityLog.record(event('203.0.113.2'))).toBe(true);
    expect(await securityLog.record(event('203.0.113.1'))).toBe(false); // 1 seen again: 2 is now the least recent
    expect(await securityLog.record(event('203.0.113.3'))).toBe(true); // 2 forgotten
    expect(await securityLog.record(event('203.0.113.1'))).toBe(false);
    expect(await securityLog.record(event('203.0.113.2'))).toBe(true);
    expect(securityLog.suppressed()).toBe(2);
  });

  it('stores nothing the caller chose: no address but an IP, no method but HTTP\'s, no path but 100 visible ASCII characters', async () => {
    const securityLog = await log();
    await securityLog.record({ address: '3111901220; DROP TABLE x', reason: 'BAD_REQUEST', method: 'BREW', path: `/graphql?q=Оксана\u0000\n${'a'.repeat(200)}` });
    await securityLog.record({ address: '2001:db8::1', reason: 'RATE_LIMITED', method: 'get', path: '/graphql' });
    expect((await securityLog.recent(2)).map(({ n: _n, at: _at, ...rest }) => rest)).toEqual([
      { address: '2001:db8::1', reason: 'RATE_LIMITED', method: 'GET', path: '/graphql' },
      { address: 'invalid', reason: 'BAD_REQUEST', method: 'OTHER', path: `/graphql?q=${'a'.repeat(89)}` },
    ]);
    for (const reason of ['unauthenticated', 'UNAUTHENTICATED: token for Оксана', 'A'.repeat(41), '']) {
      await expect(securityLog.record({ ...event('192.0.2.1'), reason })).rejects.toThrow(
        new TypeError(`security log: reason must be an error code (A-Z and _, at most 40), got ${JSON.stringify(reason)}`));
    }
    expect(await securityLog.recent(10)).toHaveLength(2);
  });

  it('refuses options and limits that would not bound it', async () => {
    expect(() => createSecurityLog({ client: store().client, clock: manualClock(), capacity: 0 })).toThrow(
      new TypeError('security log: capacity must be a whole number of at least 1, got 0'));
    expect(() => createSecurityLog({ client: store().client, clock: manualClock(), perAddress: { events: 1.5, windowSeconds: 60 } })).toThrow(
      new TypeError('security log: perAddress.events must be a whole number of at least 1, got 1.5'));
    const securityLog = await log();
    await expect(securityLog.recent(1001)).rejects.toThrow(new TypeError('security log: limit must be 1 to 1000, got 1001'));
  });
});
