import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { abonentsFor, GAS_VINNYTSIA_PARTNER_ID } from './data.js';
import { abonentsCsv, sendWin1251, tariffsCsv } from './export.js';

/**
 * The Vinnytsia gas distributor's legacy 1C billing export, over HTTP:
 * - `POST /export/abonents`, a `text/plain` body of tax ids, one a line (at most 100) → CSV of
 *   A (account), B (bill) and R (reading) rows; a tax id that is not a customer has no rows.
 * - `GET /export/tariffs` → CSV of the tariff catalogue, one row per price component.
 * Every call needs HTTP Basic auth. Answers and error texts are windows-1251.
 */

export const MAX_ABONENTS = 100;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const createGasVinnytsiaEmulator: EmulatorFactory = (options) => {
  const { count, ...emulator } = createEmulatorApp(GAS_VINNYTSIA_PARTNER_ID, options);
  const { app } = emulator;
  const { login, password } = options.credentials;

  const auth: RequestHandler = (req, res, next) => {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(req.get('authorization') ?? '');
    const pair = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = pair.indexOf(':');
    if (login && password && colon > 0 && sameText(pair.slice(0, colon), login) && sameText(pair.slice(colon + 1), password)) return next();
    res.set('WWW-Authenticate', 'Basic realm="1C export"');
    sendWin1251(res, 401, 'text/plain', 'Доступ заборонено: невірний логін або пароль');
  };

  app.post('/export/abonents', count('abonents'), auth, express.text({ type: 'text/plain', limit: '16kb', defaultCharset: 'windows-1251' }), (req, res) => {
    if (typeof req.body !== 'string') return sendWin1251(res, 400, 'text/plain', 'Очікується text/plain: по одному ІПН у рядку');
    const lines = req.body.split(/\r?\n/).map((l) => l.trim());
    const taxIds = lines.filter((l) => l !== '');
    if (taxIds.length === 0) return sendWin1251(res, 400, 'text/plain', 'Порожній запит: жодного ІПН');
    if (taxIds.length > MAX_ABONENTS) return sendWin1251(res, 413, 'text/plain', `Забагато ІПН у запиті: не більше ${MAX_ABONENTS}`);
    const bad = lines.findIndex((l) => l !== '' && !/^\d{10}$/.test(l));
    if (bad >= 0) return sendWin1251(res, 400, 'text/plain', `Рядок ${bad + 1}: ІПН має складатися з 10 цифр`);
    const abonents = [...new Set(taxIds)].flatMap((taxId) => abonentsFor(options.population, taxId));
    res.set('Content-Disposition', 'attachment; filename="abonents.csv"');
    sendWin1251(res, 200, 'text/csv', abonentsCsv(abonents));
  });

  app.get('/export/tariffs', count('tariffs'), auth, (_req, res) => {
    res.set('Content-Disposition', 'attachment; filename="tariffs.csv"');
    sendWin1251(res, 200, 'text/csv', tariffsCsv());
  });

  app.use((error: { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error.status === 413) return sendWin1251(res, 413, 'text/plain', 'Запит завеликий');
    if (error.status && error.status < 500) return sendWin1251(res, 400, 'text/plain', 'Не вдалося прочитати запит');
    sendWin1251(res, 500, 'text/plain', 'Внутрішня помилка');
  });

  return emulator;
};
