import { createEmulatorApp, type EmulatorFactory } from '../kit/index.js';
import { ELECTRICITY_PARTNER_ID, meteringPointsFor } from './data.js';
import { mountOAuth } from './oauth.js';
import { ELECTRICITY_TARIFFS } from './tariffs.js';

/**
 * The electricity supplier's REST/JSON API behind OAuth2 client credentials:
 * - `POST /oauth/token` (form: grant_type=client_credentials, client_id, client_secret)
 *   → `{ access_token, token_type: "Bearer", expires_in: 300 }`
 * - `GET /api/customers/<taxId>/metering-points` → `{ customerTaxId, meteringPoints: [...] }`;
 *   an unknown tax id → 404 `{ "error": "customer_not_found" }`
 * - `GET /api/tariffs` → `{ tariffs: [...] }` (single, two-zone and three-zone, with history)
 * Data calls need `Authorization: Bearer <access_token>`; an expired or unknown token → 401
 * `{ "error": "invalid_token" }`. Token lifetimes run on the emulator's clock.
 */
export const createElectricityKryvyiRihEmulator: EmulatorFactory = (options) => {
  const { count, ...emulator } = createEmulatorApp(ELECTRICITY_PARTNER_ID, options);
  const { app } = emulator;
  const { bearer } = mountOAuth(app, {
    clientId: options.credentials.clientId,
    clientSecret: options.credentials.clientSecret,
    clock: options.clock,
    count,
  });

  app.get('/api/customers/:taxId/metering-points', count('meteringPoints'), bearer, (req, res) => {
    const taxId = String(req.params.taxId);
    if (!/^\d{10}$/.test(taxId)) {
      return void res.status(400).json({ error: 'invalid_request', error_description: 'taxId must be 10 digits' });
    }
    const meteringPoints = meteringPointsFor(options.population, taxId);
    if (!meteringPoints) return void res.status(404).json({ error: 'customer_not_found' });
    res.json({ customerTaxId: taxId, meteringPoints });
  });

  app.get('/api/tariffs', count('tariffs'), bearer, (_req, res) => void res.json({ tariffs: ELECTRICITY_TARIFFS }));

  return emulator;
};
