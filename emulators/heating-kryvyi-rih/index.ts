import express, { type Request, type Response } from 'express';
import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { HEAT_PARTNER_ID, heatAccountByNumber, heatAccountsByTaxId } from './data.js';
import { accountResult, findAccountsResult, tariffsResult } from './dialect.js';
import { faultEnvelope, readRequest, responseEnvelope } from './soap.js';

/**
 * The district-heating company's legacy SOAP 1.1 billing service, one endpoint
 * (`POST /billing/BillingService.asmx`, `Content-Type: text/xml`, operation by `SOAPAction`):
 * - FindAccountsByTaxId(Ipn) → the citizen's account numbers (an empty list when unknown)
 * - GetAccount(OsRakhunok) → one account with its bills and meter readings
 * - GetTariffs() → current and past tariffs
 * Authentication is a WS-Security UsernameToken (PasswordText). As many SOAP stacks do, it answers
 * every fault with HTTP 500, except a request with no security header at all (HTTP 401).
 */

export const HEAT_SERVICE_PATH = '/billing/BillingService.asmx';
const OPERATIONS = new Set(['FindAccountsByTaxId', 'GetAccount', 'GetTariffs']);

function soapActionOf(req: Request): string {
  return (req.get('soapaction') ?? '').replace(/"/g, '').split('/').pop() ?? '';
}

function sendXml(res: Response, status: number, xml: string): void {
  res.status(status).type('text/xml; charset=utf-8').send(xml);
}

function fault(res: Response, status: number, faultcode: string, faultstring: string): void {
  sendXml(res, status, faultEnvelope(faultcode, faultstring));
}

export const createHeatingKryvyiRihEmulator: EmulatorFactory = (options) => {
  const { count, ...emulator } = createEmulatorApp(HEAT_PARTNER_ID, options);
  const { username, password } = options.credentials;
  const { population } = options;

  const countByAction = (req: Request, res: Response, next: () => void) => {
    const action = soapActionOf(req);
    count(OPERATIONS.has(action) ? action : 'unknown')(req, res, next);
  };
  const xmlBody = express.text({ type: ['text/xml', 'application/xml', 'application/soap+xml'], limit: '64kb' });

  emulator.app.post(HEAT_SERVICE_PATH, countByAction, xmlBody, (req, res) => {
    if (typeof req.body !== 'string') return void res.status(415).type('text/plain').send('Unsupported Media Type');
    const soap = readRequest(req.body);
    if (!soap) return fault(res, 500, 'soap:Client', 'Запит не є коректним SOAP-конвертом');
    if (soap.username === null || soap.password === null) {
      return fault(res, 401, 'wsse:InvalidSecurity', 'Відсутній заголовок безпеки WS-Security');
    }
    if (!username || !password || soap.username !== username || soap.password !== password) {
      return fault(res, 500, 'wsse:FailedAuthentication', 'Маркер безпеки не вдалося автентифікувати');
    }
    const action = soapActionOf(req);
    if (!OPERATIONS.has(action)) return fault(res, 500, 'soap:Client', 'Сервер не розпізнав значення заголовка SOAPAction');
    if (soap.operation !== action) return fault(res, 500, 'soap:Client', 'Операція в тілі запиту не відповідає SOAPAction');

    if (action === 'GetTariffs') return sendXml(res, 200, responseEnvelope(action, tariffsResult()));
    if (action === 'FindAccountsByTaxId') {
      const ipn = soap.params.Ipn;
      if (typeof ipn !== 'string' || !/^\d{10}$/.test(ipn)) return fault(res, 500, 'soap:Client', 'Невірний формат ІПН');
      return sendXml(res, 200, responseEnvelope(action, findAccountsResult(heatAccountsByTaxId(population, ipn))));
    }
    const number = soap.params.OsRakhunok;
    if (typeof number !== 'string' || !/^\d{10}$/.test(number)) return fault(res, 500, 'soap:Client', 'Невірний формат особового рахунку');
    const account = heatAccountByNumber(population, number);
    if (!account) return fault(res, 500, 'soap:Client', 'Особовий рахунок не знайдено');
    sendXml(res, 200, responseEnvelope(action, accountResult(account)));
  });

  return emulator;
};
