import { useNock } from '../helpers/nock.js';
import nock from 'nock';
import { CALL } from './harness.js';
import {
  OLENA_ACCOUNT, PARTNER, XML, buildHeating, describeError, find, fixture, getAccount, getTariffs,
} from './heating-kryvyi-rih.shared.js';
import adapter from '../../adapters/heating-kryvyi-rih/index.js';
import { attemptsOf } from './harness.js';

/** The first attempt and the memorandum's retries: a transient failure is asked this many times. */
const ATTEMPTS = attemptsOf(adapter);

useNock();

const OLENA = '3111901220';
const ANDRII = '2660404572';

/** What one citizen's look-up answers when FindAccountsByTaxId gets `reply`. */
async function lookupError(reply: (i: nock.Interceptor) => nock.Scope, timeoutMs?: number): Promise<unknown> {
  reply(find(OLENA));
  const [result] = await buildHeating({ timeoutMs }).accountsByTaxIds([OLENA], CALL);
  return describeError(result);
}

/** Olena's account answer with one change, for the malformed-payload cases. */
function olenaAccountWith(change: (xml: string) => string): void {
  find(OLENA).reply(200, fixture('find-accounts-olena.xml'), XML);
  getAccount('4000000010').reply(200, change(fixture('get-account-4000000010.xml')), XML);
  getTariffs().reply(200, fixture('tariffs.xml'), XML);
}

const unavailable = (message: string) => ({ code: 'PARTNER_UNAVAILABLE', partner: PARTNER, message });
const badResponse = (message: string) => ({ code: 'PARTNER_BAD_RESPONSE', partner: PARTNER, message });

describe('heating-kryvyi-rih SOAP faults and HTTP failures', () => {
  it('returns BAD_USER_INPUT when the partner answers a soap:Client fault (HTTP 500)', async () => {
    expect(await lookupError((i) => i.reply(500, fixture('fault-client.xml'), XML))).toEqual({
      code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (SOAP Client fault)',
    });
  });

  it('returns PARTNER_UNAVAILABLE when the partner refuses our credentials (wsse:FailedAuthentication, HTTP 500)', async () => {
    expect(await lookupError((i) => i.reply(500, fixture('fault-auth.xml'), XML)))
      .toEqual(unavailable('the partner refused our credentials (SOAP fault)'));
  });

  it('returns PARTNER_UNAVAILABLE when the partner answers a security fault with HTTP 401', async () => {
    const fault = fixture('fault-auth.xml').replace('wsse:FailedAuthentication', 'wsse:InvalidSecurity');
    expect(await lookupError((i) => i.reply(401, fault, XML))).toEqual(unavailable('the partner refused our credentials (SOAP fault)'));
  });

  it('returns PARTNER_UNAVAILABLE when the partner answers a soap:Server fault', async () => {
    expect(await lookupError((i) => i.times(ATTEMPTS).reply(500, fixture('fault-server.xml'), XML))).toEqual(unavailable('the partner failed (SOAP Server fault)'));
  });

  it('reads a fault the partner sends with HTTP 200 as well', async () => {
    expect(await lookupError((i) => i.reply(200, fixture('fault-client.xml'), XML))).toEqual({
      code: 'BAD_USER_INPUT', partner: PARTNER, message: 'the partner rejected the request (SOAP Client fault)',
    });
  });

  it('returns PARTNER_UNAVAILABLE for an HTTP 500 without a SOAP body', async () => {
    expect(await lookupError((i) => i.times(ATTEMPTS).reply(500, 'Internal Server Error', { 'Content-Type': 'text/plain' })))
      .toEqual(unavailable('the partner failed (HTTP 500)'));
  });

  it('returns PARTNER_UNAVAILABLE when the partner is down (HTTP 503)', async () => {
    expect(await lookupError((i) => i.times(ATTEMPTS).reply(503, 'Service Unavailable'))).toEqual(unavailable('the partner failed (HTTP 503)'));
  });

  it('returns PARTNER_TIMEOUT when the partner is slow', async () => {
    expect(await lookupError((i) => i.delay(1000).reply(200, fixture('find-accounts-olena.xml'), XML), 100)).toEqual({
      code: 'PARTNER_TIMEOUT', partner: PARTNER, message: 'the partner did not answer in time',
    });
  });

  it('fails only the citizen whose look-up failed', async () => {
    find(OLENA).reply(200, fixture('find-accounts-olena.xml'), XML);
    getAccount('4000000010').reply(200, fixture('get-account-4000000010.xml'), XML);
    getTariffs().reply(200, fixture('tariffs.xml'), XML);
    find(ANDRII).times(ATTEMPTS).reply(500, fixture('fault-server.xml'), XML);

    const results = await buildHeating().accountsByTaxIds([OLENA, ANDRII], CALL);

    expect(results.map(describeError)).toEqual([[OLENA_ACCOUNT], unavailable('the partner failed (SOAP Server fault)')]);
  });
});

describe('heating-kryvyi-rih malformed answers', () => {
  it('returns PARTNER_BAD_RESPONSE when the answer is not XML', async () => {
    expect(await lookupError((i) => i.reply(200, '{"accounts":[]}', { 'Content-Type': 'application/json' })))
      .toEqual(badResponse('the partner answered with a body that is not a SOAP envelope'));
  });

  it('returns PARTNER_BAD_RESPONSE when the XML is cut short', async () => {
    expect(await lookupError((i) => i.reply(200, fixture('find-accounts-olena.xml').slice(0, 300), XML)))
      .toEqual(badResponse('the partner answered with a body that is not a SOAP envelope'));
  });

  it('returns PARTNER_BAD_RESPONSE when the account list has the wrong shape', async () => {
    const xml = fixture('find-accounts-olena.xml').replace(/string>/g, 'Rakhunok>');
    expect(await lookupError((i) => i.reply(200, xml, XML))).toEqual(badResponse("the partner's account list does not have the expected shape"));
  });

  it('returns PARTNER_BAD_RESPONSE for an amount with a thousands separator', async () => {
    olenaAccountWith((xml) => xml.replace('<Saldo>1111,64</Saldo>', '<Saldo>1.111,64</Saldo>'));
    const [result] = await buildHeating().accountsByTaxIds([OLENA], CALL);
    expect(describeError(result)).toEqual(badResponse("the partner's account does not have the expected shape"));
  });

  it('returns PARTNER_BAD_RESPONSE for a date that does not exist', async () => {
    olenaAccountWith((xml) => xml.replace('<Period>01.09.2026</Period>', '<Period>31.02.2026</Period>'));
    const [result] = await buildHeating().accountsByTaxIds([OLENA], CALL);
    expect(describeError(result)).toEqual(badResponse("the partner's account cannot be mapped"));
  });

  it('returns PARTNER_BAD_RESPONSE for an account on a tariff the partner does not list', async () => {
    olenaAccountWith((xml) => xml.replace('<KodTaryfu>TG-2025</KodTaryfu>', '<KodTaryfu>TG-1999</KodTaryfu>'));
    const [result] = await buildHeating().accountsByTaxIds([OLENA], CALL);
    expect(describeError(result)).toEqual(badResponse("the partner's account cannot be mapped"));
  });

  it('returns PARTNER_BAD_RESPONSE when GetAccount answers for another account', async () => {
    olenaAccountWith((xml) => xml.replace('<OsRakhunok>4000000010</OsRakhunok>', '<OsRakhunok>4000000028</OsRakhunok>'));
    const [result] = await buildHeating().accountsByTaxIds([OLENA], CALL);
    expect(describeError(result)).toEqual(badResponse('the partner answered for another account than the one asked for'));
  });

  it('returns PARTNER_BAD_RESPONSE when a tariff price is not a number', async () => {
    getTariffs().reply(200, fixture('tariffs.xml').replace('1362,37', 'n/a'), XML);
    expect(await buildHeating().tariffs(CALL).then(describeError, describeError))
      .toEqual(badResponse("the partner's tariff list does not have the expected shape"));
  });
});
