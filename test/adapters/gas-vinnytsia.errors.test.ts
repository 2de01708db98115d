import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ABONENTS_PATH, ANDRII, BASE_URL, CSV_TYPE, OLENA, OLENA_ACCOUNT, PARTNER, TARIFFS_PATH, TEXT_TYPE,
  abonentsWith, buildVinnytsia, describeError, exportFile, fixture, fixtureLines, requestBody,
} from './gas-vinnytsia.shared.js';
import adapter from '../../adapters/gas-vinnytsia/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const STRANGER = '1234567890';

/**
 * What each key gets when the one export call for a customer and a stranger is answered by
 * `reply`. The batch rule: the call's failure is the error of each of its keys (never [], which
 * would read as "no records"), and the operation itself resolves.
 */
async function batchError(reply: (scope: nock.Interceptor) => nock.Scope, timeoutMs?: number): Promise<unknown> {
  reply(nock(BASE_URL).post(ABONENTS_PATH, requestBody([OLENA, STRANGER])));
  const results = await buildVinnytsia({ timeoutMs }).accountsByTaxIds([OLENA, STRANGER], CALL);
  const [first, ...others] = results.map(describeError);
  expect(others).toEqual([first]);
  return first;
}

/** Olena and Andrii asked together, the export answered with `body`: Olena maps, Andrii's result is returned. */
async function andriiWith(body: Buffer): Promise<unknown> {
  nock(BASE_URL)
    .post(ABONENTS_PATH).reply(200, body, CSV_TYPE)
    .get(TARIFFS_PATH).reply(200, fixture('tariffs.csv'), CSV_TYPE);
  const [olena, andrii] = await buildVinnytsia().accountsByTaxIds([OLENA, ANDRII], CALL);
  expect(olena).toEqual([OLENA_ACCOUNT]);
  return describeError(andrii);
}

const badResponse = (message: string) => ({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message });

describe('gas-vinnytsia errors of the whole call: each key gets the error', () => {
  it('returns BAD_USER_INPUT when the partner rejects the request with HTTP 400', async () => {
    const error = await batchError((i) => i.reply(400, exportFile(['Рядок 1: ІПН має складатися з 10 цифр']), TEXT_TYPE));
    expect(error).toEqual({ code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 400)' });
  });

  it('returns PARTNER_UNAVAILABLE when the partner refuses a batch as too large with HTTP 413', async () => {
    const error = await batchError((i) => i.reply(413, exportFile(['Забагато ІПН у запиті: не більше 100']), TEXT_TYPE));
    expect(error).toEqual({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 413)' });
  });

  it('returns PARTNER_UNAVAILABLE when the partner fails with HTTP 500', async () => {
    const error = await batchError((i) => i.times(ATTEMPTS).reply(500, exportFile(['Внутрішня помилка']), TEXT_TYPE));
    expect(error).toEqual({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' });
  });

  it('fails only the keys of the failed call when a batch is split over several calls', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => String(1_000_000_000 + i));
    nock(BASE_URL)
      .post(ABONENTS_PATH, requestBody(keys.slice(0, 100))).reply(200, exportFile(fixtureLines('abonents.csv').slice(0, 1)), CSV_TYPE)
      .post(ABONENTS_PATH, requestBody(keys.slice(100))).times(ATTEMPTS).reply(500, exportFile(['Внутрішня помилка']), TEXT_TYPE);

    const results = await buildVinnytsia().accountsByTaxIds(keys, CALL);

    expect(results.map(describeError)).toEqual([
      ...keys.slice(0, 100).map(() => []),
      ...keys.slice(100).map(() => ({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 500)' })),
    ]);
  });

  it('returns PARTNER_TIMEOUT when the partner is slow', async () => {
    const error = await batchError((i) => i.delay(1000).reply(200, fixture('abonents.csv'), CSV_TYPE), 100);
    expect(error).toEqual({ code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' });
  });

  it('returns PARTNER_BAD_RESPONSE when a quoted field is never closed', async () => {
    const [header, first, ...rest] = fixtureLines('abonents.csv');
    const error = await batchError((i) => i.reply(200, exportFile([header, first.replace('Коваленко', '"Коваленко'), ...rest]), CSV_TYPE));
    expect(error).toEqual(badResponse("the partner's abonents export is not readable CSV"));
  });

  it('returns PARTNER_BAD_RESPONSE when a row has more fields than the header', async () => {
    const [header, first, ...rest] = fixtureLines('abonents.csv');
    const error = await batchError((i) => i.reply(200, exportFile([header, `${first};зайве`, ...rest]), CSV_TYPE));
    expect(error).toEqual(badResponse("the partner's abonents export is not readable CSV"));
  });

  it('returns PARTNER_BAD_RESPONSE when the export is UTF-8 instead of windows-1251', async () => {
    // UTF-8 "И" is D0 98, and 0x98 is the one byte windows-1251 leaves undefined.
    const utf8 = Buffer.from(`${fixtureLines('abonents.csv').join('\r\n')}\r\n`, 'utf8');
    const error = await batchError((i) => i.reply(200, utf8, CSV_TYPE));
    expect(error).toEqual(badResponse("the partner's abonents export is not windows-1251 text"));
  });

  it('returns PARTNER_BAD_RESPONSE for the whole batch when one data row holds a byte windows-1251 does not define', async () => {
    const bytes = fixture('abonents.csv');
    const village = exportFile(['Сокиринці']).subarray(0, -2); // in Andrii's address, not Olena's
    bytes[bytes.indexOf(village) + 2] = 0x98;
    const error = await batchError((i) => i.reply(200, bytes, CSV_TYPE));
    expect(error).toEqual(badResponse("the partner's abonents export is not windows-1251 text"));
  });

  it('returns PARTNER_BAD_RESPONSE for an HTML maintenance page', async () => {
    const error = await batchError((i) => i.reply(200, '<html><body>Технічні роботи</body></html>', { 'Content-Type': 'text/html' }));
    expect(error).toEqual(badResponse("the partner's abonents export does not have the expected columns"));
  });

  it('returns PARTNER_BAD_RESPONSE for an empty answer (an export always has its header row)', async () => {
    const error = await batchError((i) => i.reply(200, Buffer.alloc(0), CSV_TYPE));
    expect(error).toEqual(badResponse("the partner's abonents export does not have the expected columns"));
  });
});

describe('gas-vinnytsia errors of one person', () => {
  it('returns a per-key PARTNER_BAD_RESPONSE for an account row whose EIC fails its check', async () => {
    expect(await andriiWith(abonentsWith('A;2660404572', 'EIC', '56ZVN0000067890C')))
      .toEqual(badResponse("the partner's account row does not have the expected shape"));
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for an account row with an unknown status', async () => {
    expect(await andriiWith(abonentsWith('A;2660404572', 'СТАТУС', 'active')))
      .toEqual(badResponse("the partner's account row does not have the expected shape"));
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for a bill with an amount that is not one', async () => {
    expect(await andriiWith(abonentsWith('B;;;0500067891', 'НАРАХОВАНО', '44.00.1')))
      .toEqual(badResponse("the partner's bill row does not have the expected shape"));
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for a reading on a day that does not exist', async () => {
    expect(await andriiWith(abonentsWith('R;;;0500067890', 'ДАТА_ПОКАЗУ', '31.09.2026')))
      .toEqual(badResponse("the partner's reading row does not have the expected shape"));
  });

  it('returns a per-key PARTNER_BAD_RESPONSE for an account on a tariff the partner does not list', async () => {
    expect(await andriiWith(abonentsWith('A;2660404572', 'КОД_ТАРИФУ', '000000099')))
      .toEqual(badResponse("the partner's account cannot be mapped"));
  });

  it('returns a per-key PARTNER_BAD_RESPONSE to both people when the export gives one account to two', async () => {
    const [header, olenaRow, ...rest] = fixtureLines('abonents.csv');
    const twice = exportFile([header, olenaRow, olenaRow.replace(OLENA, ANDRII), ...rest]);
    nock(BASE_URL)
      .post(ABONENTS_PATH).reply(200, twice, CSV_TYPE)
      .get(TARIFFS_PATH).reply(200, fixture('tariffs.csv'), CSV_TYPE);

    const results = await buildVinnytsia().accountsByTaxIds([OLENA, ANDRII], CALL);

    expect(results.map(describeError)).toEqual([
      badResponse('the partner lists one account more than once'),
      badResponse('the partner lists one account more than once'),
    ]);
  });

  it('fails only the people with records when the tariffs their accounts need cannot be fetched', async () => {
    nock(BASE_URL)
      .post(ABONENTS_PATH).reply(200, fixture('abonents.csv'), CSV_TYPE)
      .get(TARIFFS_PATH).times(ATTEMPTS).reply(502, 'Bad Gateway');

    const results = await buildVinnytsia().accountsByTaxIds([OLENA, '1234567890'], CALL);

    expect(results.map(describeError)).toEqual([
      { code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message: 'the partner failed (HTTP 502)' },
      [],
    ]);
  });
});

describe('gas-vinnytsia tariff catalogue errors', () => {
  it('returns PARTNER_BAD_RESPONSE when a price is not a decimal', async () => {
    const [header, first, ...rest] = fixtureLines('tariffs.csv');
    nock(BASE_URL).get(TARIFFS_PATH).reply(200, exportFile([header, first.replace('7,96', '7,96 грн'), ...rest]), CSV_TYPE);

    expect(await buildVinnytsia().tariffs(CALL).then(describeError, describeError))
      .toEqual(badResponse("the partner's tariff catalogue does not have the expected shape"));
  });

  it('returns PARTNER_BAD_RESPONSE when the rows of one tariff code disagree on its validity', async () => {
    const [header, first, second, ...rest] = fixtureLines('tariffs.csv');
    nock(BASE_URL).get(TARIFFS_PATH).reply(200, exportFile([header, first, second.replace('01.01.2026', '01.02.2026'), ...rest]), CSV_TYPE);

    expect(await buildVinnytsia().tariffs(CALL).then(describeError, describeError))
      .toEqual(badResponse("the partner's tariff catalogue cannot be mapped"));
  });
});
