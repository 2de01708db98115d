import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { differences, loadExpected, recordDifferences } from '../../adapters/conformance/expected.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vikno-expected-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};

describe("a live partner's expected records", () => {
  it('reads a fixture file and refuses one that is not one, naming the file', async () => {
    const good = { records: { '3111901220': [{ accountNumber: '0401234567', balance: { minorUnits: 41250 } }] }, tariffs: [] };
    await expect(loadExpected(file('good.json', JSON.stringify(good)))).resolves.toEqual(good);
    await expect(loadExpected(file('list.json', '[]'))).rejects.toThrow(`${path.join(dir, 'list.json')}: must be {"records": {"<tax id>": [ … ]}, "tariffs"?: [ … ]}`);
    await expect(loadExpected(file('bad.json', '{"records":'))).rejects.toThrow(/bad\.json: not JSON/);
    await expect(loadExpected(file('one.json', '{"records":{"3111901220":{}}}'))).rejects.toThrow('one.json: records["31…"] must be a list of records');
    await expect(loadExpected(path.join(dir, 'none.json'))).rejects.toThrow('none.json: cannot be read (ENOENT)');
  });

  it('compares only the fields given; lists whole, keyed and newest first; identifiers masked', () => {
    const expected = [{ accountNumber: '0401234567', eic: '56XS0000000001AB', status: 'ACTIVE', bills: [{ period: '2026-10', toPay: { minorUnits: 100 } }, { period: '2026-09', toPay: { minorUnits: 50 } }] }];
    const got = [{
      accountNumber: '0401234567', eic: '56XS0000000002AB', status: 'ACTIVE', address: 'not compared',
      bills: [{ period: '2026-09', toPay: { minorUnits: 50 } }, { period: '2026-10', toPay: { minorUnits: -100 } }],
    }, { accountNumber: '0409999999', status: 'ACTIVE', bills: [] }];
    expect(recordDifferences(expected, got, 'customer 1', 'account')).toEqual([
      'customer 1: expected 1 accounts, got 2',
      'customer 1, account 1.eic: expected ‹masked›, got ‹masked›',
      'customer 1, account 1.bills[2026-10].toPay.minorUnits: expected 100, got -100',
      'customer 1, account 1.bills: expected newest first (by period), got another order',
      'customer 1: one of the accounts that came is not theirs (its number is not among the expected)',
    ]);
    expect(differences({ amount: '1.50' }, { amount: '1.5' }, 'price')).toEqual([]);
  });
});
