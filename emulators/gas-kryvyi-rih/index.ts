import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { GAS_PARTNER_ID, gasAccountsFor } from './data.js';
import { GAS_TARIFFS } from './tariffs.js';

/**
 * The regional gas distributor's REST/JSON API:
 * - `POST /api/v1/accounts:batchLookup` `{ "taxIds": [...] }` (1–50) → `{ results: [...] }` in any order
 * - `GET /api/v1/tariffs` → the published tariffs, current and past
 * Every call needs `X-Api-Key`; errors are `{ "error": { "code", "message" } }`.
 */

export const MAX_LOOKUP = 50;

function apiError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export const createGasKryvyiRihEmulator: EmulatorFactory = (options) => {
  const { count, ...emulator } = createEmulatorApp(GAS_PARTNER_ID, options);
  const { app } = emulator;
  const apiKey = options.credentials.apiKey;

  const auth: RequestHandler = (req, res, next) => {
    if (apiKey && req.get('x-api-key') === apiKey) return next();
    apiError(res, 401, 'UNAUTHENTICATED', 'missing or invalid API key');
  };

  app.post('/api/v1/accounts\\:batchLookup', count('batchLookup'), auth, express.json({ limit: '64kb' }), (req, res) => {
    const taxIds: unknown = req.body?.taxIds;
    if (!Array.isArray(taxIds) || taxIds.length === 0) return apiError(res, 400, 'INVALID_ARGUMENT', 'taxIds must be a non-empty array');
    if (taxIds.length > MAX_LOOKUP) return apiError(res, 400, 'INVALID_ARGUMENT', `at most ${MAX_LOOKUP} taxIds per call`);
    if (!taxIds.every((t) => typeof t === 'string' && /^\d{10}$/.test(t))) {
      return apiError(res, 400, 'INVALID_ARGUMENT', 'every taxId must be 10 digits');
    }
    // The real system answers in its own index order, not the request's.
    const results = [...new Set(taxIds as string[])].sort().map((taxId) => {
      const accounts = gasAccountsFor(options.population, taxId);
      return accounts ? { taxId, found: true, accounts } : { taxId, found: false };
    });
    res.json({ results, generatedAt: options.clock.now().toISOString() });
  });

  app.get('/api/v1/tariffs', count('tariffs'), auth, (_req, res) => void res.json(GAS_TARIFFS));

  app.use((error: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error.type === 'entity.parse.failed' || error.status === 400) return apiError(res, 400, 'INVALID_ARGUMENT', 'the body is not valid JSON');
    if (error.status === 413) return apiError(res, 413, 'PAYLOAD_TOO_LARGE', 'the body is too large');
    apiError(res, 500, 'INTERNAL', 'internal error');
  });

  return emulator;
};
