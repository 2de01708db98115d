import type { RequestHandler, Response } from 'express';
import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { HOUSING_PARTNER_ID, housingAccountsByTaxId } from './data.js';
import { abonentsXml, errorXml, tariffsXml } from './dialect.js';

/**
 * КП «ЖЕО № 12»'s export service: XML over HTTP, HTTP Basic authentication.
 * - `GET /export/abonents?ipn=<10 digits>[,<10 digits>…]` (at most 20 tax ids a call) →
 *   `<abonents DATA="YYYYMMDD"><abonent IPN=".." ZNAIDENO="1|0"><rakhunok>…</rakhunok></abonent>…</abonents>`,
 *   one `<abonent>` per tax id asked, in order; an unknown one has ZNAIDENO="0" and no accounts
 * - `GET /export/tariffs` → `<taryfy DATA=".."><taryf KOD=".." KATEGORIIA=".." DIIE_Z=".." DIIE_PO=".."><NAZVA/><skladova …/></taryf>…</taryfy>`
 * Errors are `<pomylka KOD="..">text</pomylka>`: 401 (with WWW-Authenticate) for missing or wrong
 * credentials, 400 for a malformed tax id or too many. Dialect details in dialect.ts.
 */

export const ABONENTS_PATH = '/export/abonents';
export const TARIFFS_PATH = '/export/tariffs';
export const MAX_IPN_PER_CALL = 20;
const XML_TYPE = 'application/xml; charset=utf-8';

function sendXml(res: Response, status: number, xml: string): void {
  res.status(status).type(XML_TYPE).send(xml);
}

/** user:password from an `Authorization: Basic …` header, or null. */
function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const createHousingKryvyiRihEmulator: EmulatorFactory = (options) => {
  const { count, ...emulator } = createEmulatorApp(HOUSING_PARTNER_ID, options);
  const { app } = emulator;
  const { username, password } = options.credentials;
  const today = () => options.clock.now().toISOString();

  const auth: RequestHandler = (req, res, next) => {
    const given = basicCredentials(req.get('authorization'));
    if (username && password && given?.user === username && given.password === password) return next();
    res.set('WWW-Authenticate', 'Basic realm="ZHEO-12 export", charset="UTF-8"');
    sendXml(res, 401, errorXml('AUTH', 'Невірне ім’я користувача або пароль'));
  };

  app.get(ABONENTS_PATH, count('abonents'), auth, (req, res) => {
    const raw = req.query.ipn;
    if (typeof raw !== 'string' || raw === '') return sendXml(res, 400, errorXml('IPN', 'Не вказано ІПН'));
    const ipns = raw.split(',');
    if (ipns.length > MAX_IPN_PER_CALL) return sendXml(res, 400, errorXml('LIMIT', `Не більше ${MAX_IPN_PER_CALL} ІПН за один запит`));
    if (!ipns.every((ipn) => /^\d{10}$/.test(ipn))) return sendXml(res, 400, errorXml('IPN', 'ІПН має складатися з 10 цифр'));
    // Answered by tax id, not in the order asked: adapters match answers to keys by tax id.
    const asked = [...new Set(ipns)].sort().map((ipn) => [ipn, housingAccountsByTaxId(options.population, ipn)] as [string, ReturnType<typeof housingAccountsByTaxId>]);
    sendXml(res, 200, abonentsXml(asked, today()));
  });

  app.get(TARIFFS_PATH, count('tariffs'), auth, (_req, res) => sendXml(res, 200, tariffsXml(today())));

  return emulator;
};
