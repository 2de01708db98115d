import type { Request } from 'express';
import { checkRnokpp, checkVin } from '../../domain/identifiers.js';
import { createSecurityServer, servicePath } from '../kit/x-road.js';
import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { createVehicleIndex, PARTNER_ID, recordsOf } from './data.js';
import { registrationExtract } from './extract.js';

/**
 * The MVS service centres' vehicle registry (ГСЦ МВС) behind an X-Road security server.
 *   GET /r1/UA/GOV/03287166/MVS/registrationsByOwner/v1?taxId=…   (one person) → { records: [...] }, [] if unknown
 *   GET /r1/UA/GOV/03287166/MVS/registrationExtract/v1?vin=…                   → the extract envelope, 404 if unknown
 * No credentials: the caller is identified by X-Road-Client (400 when missing or malformed), and every
 * message must name the official (X-Road-UserId) and the purpose (X-Road-Issue), or it is a 400 too.
 * The registry's own errors are `{ code, message }`; the security server's are `{ type, message, detail }`.
 */

export const MVS_SERVICE = 'UA/GOV/03287166/MVS';

function single(req: Request, name: string): string | null {
  const raw = req.query[name];
  return typeof raw === 'string' ? raw : null;
}

export const createVehiclesMvsEmulator = ((options) => {
  const { app, count, ...emulator } = createEmulatorApp(PARTNER_ID, options);
  const server = createSecurityServer(MVS_SERVICE, options.clock);
  const { population } = options;
  const findVehicle = createVehicleIndex(population);

  app.get(servicePath('registrationsByOwner'), count('registrationsByOwner'), server.gate('registrationsByOwner'), (req, res) => {
    const taxId = single(req, 'taxId');
    if (taxId === null || checkRnokpp(taxId) !== null) {
      return void res.status(400).json({ code: 'INVALID_TAX_ID', message: 'Потрібен один параметр taxId: РНОКПП з 10 цифр з правильною контрольною цифрою' });
    }
    const citizen = population.byTaxId(taxId);
    res.json({ records: citizen ? recordsOf(population, citizen) : [] });
  });

  app.get(servicePath('registrationExtract'), count('registrationExtract'), server.gate('registrationExtract'), (req, res) => {
    const vin = single(req, 'vin');
    if (vin === null || checkVin(vin) !== null) {
      return void res.status(400).json({ code: 'INVALID_VIN', message: 'VIN має містити 17 символів без літер I, O, Q' });
    }
    const entry = findVehicle(vin);
    if (!entry) return void res.status(404).json({ code: 'VEHICLE_NOT_FOUND', message: 'Транспортний засіб з таким VIN не зареєстровано' });
    res.json(registrationExtract(entry.records[entry.records.length - 1], entry.owner, options.clock.now()));
  });

  return { ...emulator, app, messages: server.messages };
}) satisfies EmulatorFactory;
