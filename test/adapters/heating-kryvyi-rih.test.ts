import { useNock } from '../helpers/nock.js';
import { CALL } from './harness.js';
import {
  ANDRII_FLAT, ANDRII_HOUSE, AREA_TARIFF, CREDENTIALS, PARTNER, METER_TARIFF, OLENA_ACCOUNT, PAST_METER_TARIFF, XML,
  buildHeating, describeError, find, fixture, getAccount, getTariffs, inFlightCounter, soap,
} from './heating-kryvyi-rih.shared.js';
import adapter from '../../adapters/heating-kryvyi-rih/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const OLENA = '3111901220';
const ANDRII = '2660404572';
const UNKNOWN = '1234567899';

describe('heating-kryvyi-rih adapter', () => {
  it('maps the demo citizens from FindAccountsByTaxId and one GetAccount per account, in key order', async () => {
    const scopes = [
      find(OLENA).reply(200, fixture('find-accounts-olena.xml'), XML),
      find(ANDRII).reply(200, fixture('find-accounts-andrii.xml'), XML),
      getAccount('4000000010').reply(200, fixture('get-account-4000000010.xml'), XML),
      getAccount('4000000119').reply(200, fixture('get-account-4000000119.xml'), XML),
      getAccount('4000000127').reply(200, fixture('get-account-4000000127.xml'), XML),
      getTariffs().reply(200, fixture('tariffs.xml'), XML),
    ];

    const results = await buildHeating().accountsByTaxIds([ANDRII, OLENA], CALL);

    expect(results).toEqual([[ANDRII_HOUSE, ANDRII_FLAT], [OLENA_ACCOUNT]]);
    expect(scopes.every((s) => s.isDone())).toBe(true);
  });

  it('answers [] for a person the partner does not know, without GetAccount or GetTariffs', async () => {
    const scope = find(UNKNOWN).reply(200, fixture('find-accounts-empty.xml'), XML);

    expect(await buildHeating().accountsByTaxIds([UNKNOWN], CALL)).toEqual([[]]);
    expect(scope.isDone()).toBe(true);
  });

  it('sends a WS-Security UsernameToken with the credentials it was given, escaped', async () => {
    const scope = soap(
      'FindAccountsByTaxId',
      '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soap:mustUnderstand="1">',
      `<wsse:Username>${CREDENTIALS.username}</wsse:Username>`,
      '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">p&lt;a&amp;ss&gt;&quot;1</wsse:Password>',
    ).reply(200, fixture('find-accounts-empty.xml'), XML);

    await buildHeating().accountsByTaxIds([UNKNOWN], CALL);

    expect(scope.isDone()).toBe(true);
  });

  it('asks once for a tax id repeated in the keys and answers each position', async () => {
    find(UNKNOWN).once().reply(200, fixture('find-accounts-empty.xml'), XML);

    expect(await buildHeating().accountsByTaxIds([UNKNOWN, UNKNOWN], CALL)).toEqual([[], []]);
  });

  it('looks up many citizens with one call each, at most 4 at once', async () => {
    const taxIds = Array.from({ length: 10 }, (_, i) => String(1_000_000_000 + i));
    const scope = soap('FindAccountsByTaxId').times(10).reply(200, fixture('find-accounts-empty.xml'), XML);
    const counter = inFlightCounter();

    const results = await buildHeating({ wrapHttp: counter.wrap }).accountsByTaxIds(taxIds, CALL);

    expect(results).toEqual(taxIds.map(() => []));
    expect(scope.isDone()).toBe(true);
    expect(counter.max).toEqual({ FindAccountsByTaxId: 4, all: 4 });
  });

  it('fetches one citizen\'s accounts at most 2 at once', async () => {
    const numbers = Array.from({ length: 5 }, (_, i) => `40000001${i}0`);
    const list = fixture('find-accounts-olena.xml').replace('<string>4000000010</string>', numbers.map((n) => `<string>${n}</string>`).join(''));
    find(OLENA).reply(200, list, XML);
    for (const n of numbers) getAccount(n).reply(200, fixture('get-account-4000000010.xml').replace('<OsRakhunok>4000000010', `<OsRakhunok>${n}`), XML);
    getTariffs().reply(200, fixture('tariffs.xml'), XML);
    const counter = inFlightCounter();

    const [accounts] = await buildHeating({ wrapHttp: counter.wrap }).accountsByTaxIds([OLENA], CALL);

    expect(accounts).toEqual(numbers.map((accountNumber) => ({ ...OLENA_ACCOUNT, accountNumber })));
    expect(counter.max.GetAccount).toBe(2);
  });
});

describe('heating-kryvyi-rih tariffs', () => {
  it('maps the published tariffs, current and past', async () => {
    getTariffs().reply(200, fixture('tariffs.xml'), XML);

    expect(await buildHeating().tariffs(CALL)).toEqual([METER_TARIFF, AREA_TARIFF, PAST_METER_TARIFF]);
  });

  it('caches tariffs across calls: the second call makes no HTTP request', async () => {
    const scope = getTariffs().once().reply(200, fixture('tariffs.xml'), XML);
    const heating = buildHeating();

    const first = await heating.tariffs(CALL);
    const second = await heating.tariffs(CALL);

    expect(second).toEqual(first);
    expect(scope.isDone()).toBe(true);
  });

  it('shares one GetTariffs call between callers that miss the cache together', async () => {
    getTariffs().once().reply(200, fixture('tariffs.xml'), XML);
    const counter = inFlightCounter();
    const heating = buildHeating({ wrapHttp: counter.wrap });

    const [a, b] = await Promise.all([heating.tariffs(CALL), heating.tariffs(CALL)]);

    expect(a).toEqual(b);
    expect(counter.max.GetTariffs).toBe(1);
  });

  it('does not cache a failure: the next call asks the partner again', async () => {
    getTariffs().times(ATTEMPTS).reply(500, fixture('fault-server.xml'), XML);
    getTariffs().reply(200, fixture('tariffs.xml'), XML);
    const heating = buildHeating();

    await expect(heating.tariffs(CALL).catch(describeError)).resolves.toEqual({
      code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (SOAP Server fault)',
    });
    expect(await heating.tariffs(CALL)).toEqual([METER_TARIFF, AREA_TARIFF, PAST_METER_TARIFF]);
  });

  it('uses cached tariffs for accounts: no GetTariffs when they are fresh', async () => {
    getTariffs().once().reply(200, fixture('tariffs.xml'), XML);
    find(OLENA).twice().reply(200, fixture('find-accounts-olena.xml'), XML);
    getAccount('4000000010').twice().reply(200, fixture('get-account-4000000010.xml'), XML);
    const heating = buildHeating();

    const first = await heating.accountsByTaxIds([OLENA], CALL);
    const second = await heating.accountsByTaxIds([OLENA], CALL);

    expect([first, second]).toEqual([[[OLENA_ACCOUNT]], [[OLENA_ACCOUNT]]]);
  });
});
