import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  ANDRII, ANDRII_FLAT, OLENA, OLENA_FLAT, OLENA_SOLD_FLAT, PARTNER, UNKNOWN, XML, abonents, buildHousing, fixture, outcome, tariffs,
} from './housing-kryvyi-rih.shared.js';
import adapter from '../../adapters/housing-kryvyi-rih/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const unavailable = (message: string) => ({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message });
const badResponse = (message: string) => ({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message });

/** What a look-up of Olena answers when the export call gets `reply`. */
async function lookup(reply: (i: nock.Interceptor) => nock.Scope, timeoutMs?: number): Promise<unknown[]> {
  reply(abonents(OLENA));
  return outcome(await buildHousing({ timeoutMs }).accountsByTaxIds([OLENA], CALL));
}

/** The demo export with one change, asked for Olena and Andrii, with the tariffs at hand. */
async function demoWith(change: (xml: string) => string): Promise<unknown[]> {
  abonents(OLENA, ANDRII).reply(200, change(fixture('abonents-demo.xml')), XML);
  tariffs().reply(200, fixture('tariffs.xml'), XML);
  return outcome(await buildHousing().accountsByTaxIds([OLENA, ANDRII], CALL));
}

describe('housing-kryvyi-rih HTTP failures', () => {
  it('returns PARTNER_UNAVAILABLE when the company refuses our Basic credentials (HTTP 401)', async () => {
    const reply = (i: nock.Interceptor) => i.reply(401, fixture('error-auth.xml'), { ...XML, 'WWW-Authenticate': 'Basic realm="ZHEO-12 export"' });
    expect(await lookup(reply)).toEqual([unavailable('the partner refused our credentials (HTTP 401)')]);
  });

  it('returns BAD_USER_INPUT when the company rejects the tax ids with its XML error (HTTP 400)', async () => {
    expect(await lookup((i) => i.reply(400, fixture('error-ipn.xml'), XML))).toEqual([
      { code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (HTTP 400)' },
    ]);
  });

  it('returns PARTNER_UNAVAILABLE when the company fails (HTTP 500)', async () => {
    expect(await lookup((i) => i.times(ATTEMPTS).reply(500, 'Internal Server Error', { 'Content-Type': 'text/plain' })))
      .toEqual([unavailable('the partner failed (HTTP 500)')]);
  });

  it('returns PARTNER_UNAVAILABLE when the company is down (HTTP 503)', async () => {
    expect(await lookup((i) => i.times(ATTEMPTS).reply(503, 'Service Unavailable'))).toEqual([unavailable('the partner failed (HTTP 503)')]);
  });

  it('returns PARTNER_TIMEOUT when the company is slow', async () => {
    expect(await lookup((i) => i.delay(1000).reply(200, fixture('abonents-demo.xml'), XML), 100)).toEqual([
      { code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time' },
    ]);
  });

  it('fails every key of a failed call, and only the keys that needed tariffs when tariffs fail (not cached)', async () => {
    abonents(OLENA, UNKNOWN).reply(200, fixture('abonents-demo.xml'), XML);
    tariffs().times(ATTEMPTS).reply(503, 'Service Unavailable');
    tariffs().reply(200, fixture('tariffs.xml'), XML);
    const housing = buildHousing();

    expect(outcome(await housing.accountsByTaxIds([OLENA, UNKNOWN], CALL))).toEqual([unavailable('the partner failed (HTTP 503)'), []]);
    expect((await housing.tariffs(CALL)).length).toBe(6);
  });
});

describe('housing-kryvyi-rih malformed answers', () => {
  it('returns PARTNER_BAD_RESPONSE when the answer is not XML', async () => {
    expect(await lookup((i) => i.reply(200, '{"abonents":[]}', { 'Content-Type': 'application/json' })))
      .toEqual([badResponse('the partner answered with a body that is not XML')]);
  });

  it('returns PARTNER_BAD_RESPONSE when the XML is cut short or garbled', async () => {
    expect(await lookup((i) => i.reply(200, fixture('abonents-demo.xml').slice(0, 400), XML)))
      .toEqual([badResponse('the partner answered with a body that is not XML')]);
    expect(await lookup((i) => i.reply(200, '<?xml version="1.0" encoding="utf-8"?>\n<unexpected>', XML)))
      .toEqual([badResponse('the partner answered with a body that is not XML')]);
  });

  it('returns PARTNER_BAD_RESPONSE for well-formed XML of another shape (an error sent with HTTP 200)', async () => {
    expect(await lookup((i) => i.reply(200, fixture('error-auth.xml'), XML)))
      .toEqual([badResponse("the partner's abonents export does not have the expected shape")]);
  });

  it('returns PARTNER_BAD_RESPONSE for a key the answer leaves out, and the other keys\' answers', async () => {
    abonents(OLENA, ANDRII).reply(200, fixture('abonents-demo.xml').replace(/<abonent IPN="3111901220"[\s\S]*?<\/abonent>/, ''), XML);
    tariffs().reply(200, fixture('tariffs.xml'), XML);

    expect(outcome(await buildHousing().accountsByTaxIds([OLENA, ANDRII], CALL))).toEqual([
      badResponse('the partner left a requested record out of its answer'),
      [ANDRII_FLAT],
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE for the key whose record misses a field, and the other key\'s accounts', async () => {
    expect(await demoWith((xml) => xml.replace('<SALDO>2054.10</SALDO>', ''))).toEqual([
      badResponse("the partner's abonent record does not have the expected shape"),
      [ANDRII_FLAT],
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE for an amount with a decimal comma', async () => {
    expect(await demoWith((xml) => xml.replace('NARAKH="430.75"', 'NARAKH="430,75"'))).toEqual([
      [OLENA_FLAT, OLENA_SOLD_FLAT],
      badResponse("the partner's abonent record does not have the expected shape"),
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE for a found person whose marker is neither 1 nor 0', async () => {
    expect(await demoWith((xml) => xml.replace('IPN="2660404572" ZNAIDENO="1"', 'IPN="2660404572" ZNAIDENO="так"'))).toEqual([
      [OLENA_FLAT, OLENA_SOLD_FLAT],
      badResponse("the partner's abonent record does not have the expected shape"),
    ]);
  });

  it('returns PARTNER_BAD_RESPONSE for an account on a tariff the company does not list', async () => {
    expect(await demoWith((xml) => xml.replace('<TARYF>ZHEO12-K2-2025-12</TARYF>', '<TARYF>ZHEO12-K2-1999-01</TARYF>'))).toEqual([
      [OLENA_FLAT, OLENA_SOLD_FLAT],
      badResponse("the partner's account cannot be mapped"),
    ]);
  });

  it('reads no record for a person not asked about', async () => {
    abonents(UNKNOWN).reply(200, fixture('abonents-demo.xml'), XML);

    expect(outcome(await buildHousing().accountsByTaxIds([UNKNOWN], CALL))).toEqual([[]]);
  });

  it('returns PARTNER_BAD_RESPONSE when a tariff starts on a date that does not exist', async () => {
    tariffs().reply(200, fixture('tariffs.xml').replace('DIIE_Z="20251201"', 'DIIE_Z="20250231"'), XML);
    expect(await buildHousing().tariffs(CALL).then(() => 'resolved', (e: Error) => outcome([e])[0]))
      .toEqual(badResponse("the partner's tariff list cannot be mapped"));
  });

  it('returns PARTNER_BAD_RESPONSE when a tariff price is not a number', async () => {
    tariffs().reply(200, fixture('tariffs.xml').replace('TSINA="7.31"', 'TSINA="n/a"'), XML);
    expect(await buildHousing().tariffs(CALL).then(() => 'resolved', (e: Error) => outcome([e])[0]))
      .toEqual(badResponse("the partner's tariff list does not have the expected shape"));
  });
});
