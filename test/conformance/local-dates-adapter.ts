/**
 * A broken heating adapter for the time-zone checks: it reads each reading's date as local
 * midnight and writes it back in UTC, so a server east of UTC dates every reading a day early. A
 * module of its own, so the suite's child processes (another TZ) can load it.
 */
import type { AnyAdapterDefinition } from '../../adapters/core/define-adapter.js';
import type { UtilityOperations } from '../../adapters/core/contract.js';
import type { HeatingAccount } from '../../domain/model.js';
import heating from '../../adapters/heating-kryvyi-rih/index.js';

const localDay = (iso: string) => new Date(`${iso}T00:00:00`).toISOString().slice(0, 10);

const adapter: AnyAdapterDefinition = {
  ...heating,
  create(context) {
    const ops = heating.create(context) as UtilityOperations<HeatingAccount>;
    return {
      ...ops,
      async accountsByTaxIds(taxIds, call) {
        return (await ops.accountsByTaxIds(taxIds, call)).map((r) => (r instanceof Error ? r : r.map((account) => ({
          ...account, readings: account.readings.map((reading) => ({ ...reading, takenOn: localDay(reading.takenOn) })),
        }))));
      },
    };
  },
} as AnyAdapterDefinition;

export default adapter;
