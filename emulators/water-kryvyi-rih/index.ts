import type { RequestHandler, Response } from 'express';
import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { WATER_PARTNER_ID, waterAccountsFor } from './data.js';
import { WATER_TARIFFS } from './tariffs.js';
import { throttle } from './throttle.js';

/**
 * The water utility's REST API v2:
 * - `GET /api/v2/accounts?owner_tax_id=&page=&per_page=` → `{ data: [...], meta: { page, per_page, total, total_pages } }`
 *   (per_page is capped at 2, so a citizen with three accounts takes two pages; unknown owner → empty page)
 * - `GET /api/v2/tariffs` → `{ data: [...] }`, current and past
 * Every call needs `Authorization: Bearer <token>`; at most `requestsPerSecond` calls per token per
 * second, then `429` with `Retry-After: 1`. Errors are `{ "error": { "code", "message" } }`.
 */

export const MAX_PER_PAGE = 2;
export const DEFAULT_REQUESTS_PER_SECOND = 20;

export interface WaterEmulatorSettings {
  /** Calls allowed per token in each second (default 20). */
  requestsPerSecond?: number;
  /** Milliseconds of a monotonic clock for the rate limit (default performance.now). */
  now?: () => number;
}

function apiError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function positiveInt(value: unknown, fallback: number): number | null {
  if (value === undefined) return fallback;
  return typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : null;
}

/** An emulator factory with a rate limit of one's choosing (the registry uses the default). */
export function waterKryvyiRihEmulator(settings: WaterEmulatorSettings = {}): EmulatorFactory {
  const perSecond = settings.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new TypeError(`requestsPerSecond must be a positive integer, got ${perSecond}`);
  const now = settings.now ?? (() => performance.now());

  return (options) => {
    const { count, ...emulator } = createEmulatorApp(WATER_PARTNER_ID, options);
    const { app } = emulator;
    const expected = options.credentials.token ? `Bearer ${options.credentials.token}` : undefined;

    const auth: RequestHandler = (req, res, next) => {
      if (expected && req.get('authorization') === expected) return next();
      res.set('WWW-Authenticate', 'Bearer realm="vodokanal-api"');
      apiError(res, 401, 'unauthorized', 'a valid bearer token is required');
    };
    const limit = throttle(perSecond, now);

    app.get('/api/v2/accounts', count('accounts'), auth, limit, (req, res) => {
      const taxId = req.query.owner_tax_id;
      if (typeof taxId !== 'string' || !/^\d{10}$/.test(taxId)) {
        return apiError(res, 422, 'validation_failed', 'owner_tax_id must be 10 digits');
      }
      const page = positiveInt(req.query.page, 1);
      const requested = positiveInt(req.query.per_page, MAX_PER_PAGE);
      if (page === null || requested === null) return apiError(res, 422, 'validation_failed', 'page and per_page must be positive integers');
      const perPage = Math.min(requested, MAX_PER_PAGE);
      const accounts = waterAccountsFor(options.population, taxId) ?? [];
      res.json({
        data: accounts.slice((page - 1) * perPage, page * perPage),
        meta: { page, per_page: perPage, total: accounts.length, total_pages: Math.ceil(accounts.length / perPage) },
      });
    });

    app.get('/api/v2/tariffs', count('tariffs'), auth, limit, (_req, res) => void res.json({ data: WATER_TARIFFS }));

    return emulator;
  };
}

export const createWaterKryvyiRihEmulator: EmulatorFactory = waterKryvyiRihEmulator();
