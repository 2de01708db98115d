import { useNock } from '../helpers/nock.js';
import { CALL } from './harness.js';
import {
  ALL_TARIFFS, ANDRII, ANDRII_FLAT, OLENA, OLENA_FLAT, OLENA_SOLD_FLAT, UNKNOWN, XML,
  abonents, buildHousing, fixture, outcome, tariffs,
} from './housing-kryvyi-rih.shared.js';

useNock();

/** An export answer that knows none of the tax ids asked. */
function unknownAnswer(taxIds: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<abonents DATA="20261105">${taxIds.map((ipn) => `<abonent IPN="${ipn}" ZNAIDENO="0"/>`).join('')}</abonents>`;
}

describe('housing-kryvyi-rih adapter', () => {
  it('maps the demo citizens and an unknown person from one export call, in key order', async () => {
    const scopes = [
      abonents(ANDRII, UNKNOWN, OLENA).reply(200, fixture('abonents-demo.xml'), XML),
      tariffs().reply(200, fixture('tariffs.xml'), XML),
    ];

    const results = await buildHousing().accountsByTaxIds([ANDRII, UNKNOWN, OLENA], CALL);

    expect(outcome(results)).toEqual([[ANDRII_FLAT], [], [OLENA_FLAT, OLENA_SOLD_FLAT]]);
    expect(scopes.every((s) => s.isDone())).toBe(true);
  });

  it('answers [] for a person the company does not know, without asking for tariffs', async () => {
    const scope = abonents(UNKNOWN).reply(200, fixture('abonents-unknown.xml'), XML);

    expect(await buildHousing().accountsByTaxIds([UNKNOWN], CALL)).toEqual([[]]);
    expect(scope.isDone()).toBe(true);
  });

  it('asks once for a tax id repeated in the keys and answers each position', async () => {
    abonents(UNKNOWN).once().reply(200, fixture('abonents-unknown.xml'), XML);

    expect(await buildHousing().accountsByTaxIds([UNKNOWN, UNKNOWN], CALL)).toEqual([[], []]);
  });

  it('asks for at most 20 tax ids a call', async () => {
    const taxIds = Array.from({ length: 25 }, (_, i) => String(1_000_000_000 + i));
    const scopes = [
      abonents(...taxIds.slice(0, 20)).reply(200, unknownAnswer(taxIds.slice(0, 20)), XML),
      abonents(...taxIds.slice(20)).reply(200, unknownAnswer(taxIds.slice(20)), XML),
    ];

    expect(await buildHousing().accountsByTaxIds(taxIds, CALL)).toEqual(taxIds.map(() => []));
    expect(scopes.every((s) => s.isDone())).toBe(true);
  });
});

describe('housing-kryvyi-rih tariffs', () => {
  it('maps the published tariffs, current and past, per m² by building category', async () => {
    tariffs().reply(200, fixture('tariffs.xml'), XML);

    expect(await buildHousing().tariffs(CALL)).toEqual(ALL_TARIFFS);
  });

  it('caches tariffs across calls: the second call makes no HTTP request', async () => {
    const scope = tariffs().once().reply(200, fixture('tariffs.xml'), XML);
    const housing = buildHousing();

    const first = await housing.tariffs(CALL);
    const second = await housing.tariffs(CALL);

    expect([first, second]).toEqual([ALL_TARIFFS, ALL_TARIFFS]);
    expect(scope.isDone()).toBe(true);
  });

  it('uses cached tariffs for accounts: no second tariffs call when they are fresh', async () => {
    tariffs().once().reply(200, fixture('tariffs.xml'), XML);
    abonents(ANDRII).twice().reply(200, fixture('abonents-demo.xml'), XML);
    const housing = buildHousing();

    const first = await housing.accountsByTaxIds([ANDRII], CALL);
    const second = await housing.accountsByTaxIds([ANDRII], CALL);

    expect([first, second]).toEqual([[[ANDRII_FLAT]], [[ANDRII_FLAT]]]);
  });
});
