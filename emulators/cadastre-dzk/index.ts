import express, { type ErrorRequestHandler, type Request } from 'express';
import { checkCadastralNumber, checkRnokpp } from '../../domain/identifiers.js';
import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { createParcelIndex, parcelsOf, PARTNER_ID } from './data.js';
import { parcelExtract } from './extract.js';
import { createSecurityServer, servicePath } from '../kit/x-road.js';

/**
 * The State Geo-Cadastre (ДЗК) behind an X-Road security server.
 *   GET  /r1/UA/GOV/39765513/DZK/parcelsByOwner/v1?taxId=…&taxId=…  (1–20 tax ids) → { owners: [{ taxId, parcels }] }
 *   POST /r1/UA/GOV/39765513/DZK/parcelExtract/v1 { cadastralNumber }            → the extract envelope, 404 if unknown
 * No credentials: the caller is identified by X-Road-Client (400 when missing or malformed), and every
 * message must name the official (X-Road-UserId) and the purpose (X-Road-Issue), or it is a 400 too.
 * The registry's own errors are `{ code, message }`; the security server's are `{ type, message, detail }`.
 */

export const DZK_SERVICE = 'UA/GOV/39765513/DZK';
const MAX_TAX_IDS = 20;

function queryList(req: Request, name: string): string[] {
  const raw = req.query[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

export const createCadastreDzkEmulator = ((options) => {
  const { app, count, ...emulator } = createEmulatorApp(PARTNER_ID, options);
  const server = createSecurityServer(DZK_SERVICE, options.clock);
  const { population } = options;
  const findParcel = createParcelIndex(population);

  app.get(servicePath('parcelsByOwner'), count('parcelsByOwner'), server.gate('parcelsByOwner'), (req, res) => {
    const taxIds = queryList(req, 'taxId');
    if (taxIds.length === 0 || taxIds.length > MAX_TAX_IDS) {
      return void res.status(400).json({ code: 'INVALID_REQUEST', message: `Потрібно від 1 до ${MAX_TAX_IDS} параметрів taxId` });
    }
    if (taxIds.some((taxId) => checkRnokpp(taxId) !== null)) {
      return void res.status(400).json({ code: 'INVALID_TAX_ID', message: 'РНОКПП має містити 10 цифр з правильною контрольною цифрою' });
    }
    // Answered by tax id, not in the order asked: adapters match answers to keys by tax id.
    const owners = [...new Set(taxIds)].sort().map((taxId) => {
      const citizen = population.byTaxId(taxId);
      return { taxId, parcels: citizen ? parcelsOf(population, citizen) : [] };
    });
    res.json({ owners });
  });

  app.post(servicePath('parcelExtract'), count('parcelExtract'), server.gate('parcelExtract'), express.json(), (req, res) => {
    const cadastralNumber: unknown = req.body?.cadastralNumber;
    if (typeof cadastralNumber !== 'string' || checkCadastralNumber(cadastralNumber) !== null) {
      return void res.status(400).json({ code: 'INVALID_CADASTRAL_NUMBER', message: 'Кадастровий номер має формат КОАТУУ:зона:квартал:ділянка' });
    }
    const parcel = findParcel(cadastralNumber);
    if (!parcel) return void res.status(404).json({ code: 'PARCEL_NOT_FOUND', message: 'Земельну ділянку з таким кадастровим номером не знайдено' });
    res.json(parcelExtract(parcel, options.clock.now()));
  });

  // A body that is not JSON: the registry's own 400, not express's HTML page.
  const badBody: ErrorRequestHandler = (_error, _req, res, _next) => void res.status(400).json({ code: 'INVALID_REQUEST', message: 'Тіло запиту не є JSON' });
  app.use(badBody);

  return { ...emulator, app, messages: server.messages };
}) satisfies EmulatorFactory;
