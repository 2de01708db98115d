import { Registry } from 'prom-client';
import { watchStore } from '../../platform/store-metrics.js';

describe('the shared store in the metrics', () => {
  it('reports its failed, timed-out and skipped operations, its outages and whether it is degraded, as counted at the scrape', async () => {
    const registry = new Registry();
    const counts = { commands: 120, errors: 2, timeouts: 3, skipped: 40, outages: 1, degraded: true };
    watchStore(registry, 'redis', () => counts);
    const text = await registry.metrics();
    const samples = text.split('\n').filter((line) => line.startsWith('vikno_shared_store'));
    expect(samples).toEqual([
      'vikno_shared_store_operations{store="redis",result="sent"} 120',
      'vikno_shared_store_operations{store="redis",result="error"} 2',
      'vikno_shared_store_operations{store="redis",result="timeout"} 3',
      'vikno_shared_store_operations{store="redis",result="skipped"} 40',
      'vikno_shared_store_outages{store="redis"} 1',
      'vikno_shared_store_degraded{store="redis"} 1',
    ]);
    counts.degraded = false;
    expect(await registry.metrics()).toContain('vikno_shared_store_degraded{store="redis"} 0');
  });
});
