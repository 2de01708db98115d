import express from 'express';
import { fixedClock } from '../../platform/clock.js';
import { listen, type RunningServer } from '../../emulators/kit/serve.js';
import { createSecurityServer, servicePath } from '../../emulators/kit/x-road.js';

/** The emulated security server alone, in front of a service that answers `{ ok: true }`. */

const SERVICE = 'UA/GOV/39765513/DZK';
const CLIENT = 'UA/GOV/00003211/VIKNO';
const security = createSecurityServer(SERVICE, fixedClock('2026-11-05T09:30:00Z'));
const app = express();
app.get(servicePath('ping'), security.gate('ping'), (_req, res) => void res.json({ ok: true }));
let server: RunningServer;

beforeAll(async () => {
  server = await listen(app);
});
afterAll(() => server.close());

async function send(caller: Record<string, string>) {
  const logged = security.messages.length;
  const response = await fetch(`${server.url}/r1/${SERVICE}/ping/v1`, { headers: { 'X-Road-Client': CLIENT, ...caller } });
  const body = await response.json();
  return { status: response.status, body, logged: security.messages.slice(logged).map(({ userId, issue }) => ({ userId, issue })) };
}

const refused = (message: string) => ({ status: 400, body: { type: 'Client.BadRequest', message, detail: expect.any(String) }, logged: [] });

describe('the emulated X-Road security server reading the official and the purpose', () => {
  it.each([
    ['visible text that reads like an encoded CR/LF, sent encoded once more', '%250d%250a', '%0d%0a'],
    ['Cyrillic', encodeURIComponent('Талон А-017'), 'Талон А-017'],
    ['a percent sign', '50%25%20%D0%B7%D0%BD%D0%B8%D0%B6%D0%BA%D0%B8', '50% знижки'],
    ['plain ASCII', 'A-17', 'A-17'],
  ])('decodes %s exactly once and logs it as it is', async (_, sent, logged) => {
    expect(await send({ 'X-Road-UserId': 'officer.17%40cnap', 'X-Road-Issue': sent })).toEqual({
      status: 200, body: { ok: true }, logged: [{ userId: 'officer.17@cnap', issue: logged }],
    });
  });

  it.each([
    ['an encoded CR/LF', '%0D%0A', 'X-Road-Issue: must not contain control, format or bidirectional characters'],
    ['an encoded CR/LF after text', 'A-17%0d%0aX-Injected%3A%201', 'X-Road-Issue: must not contain control, format or bidirectional characters'],
    ['an encoded right-to-left override (U+202E)', 'A-17%E2%80%AE', 'X-Road-Issue: must not contain control, format or bidirectional characters'],
    ['an encoded zero-width space', '%E2%80%8B', 'X-Road-Issue: must not contain control, format or bidirectional characters'],
    ['an encoded private-use character', 'A-17%EE%80%80', 'X-Road-Issue: must not contain unpaired surrogates, private-use or unassigned characters'],
    ['a % that starts no encoding', '50%', 'X-Road-Issue: must be percent-encoded UTF-8: every % followed by two hex digits that spell valid UTF-8'],
    ['an overlong encoding', '%C0%AE', 'X-Road-Issue: must be percent-encoded UTF-8: every % followed by two hex digits that spell valid UTF-8'],
    ['raw UTF-8 bytes instead of an encoding', Buffer.from('Талон', 'utf8').toString('latin1'), 'X-Road-Issue: must be visible ASCII, with any other character percent-encoded as UTF-8'],
    ['encoded spaces only', '%20%20', 'X-Road-Issue is required'],
  ])('refuses an X-Road-Issue with %s, like a missing one, and logs nothing', async (_, sent, message) => {
    expect(await send({ 'X-Road-UserId': 'officer-17', 'X-Road-Issue': sent })).toEqual(refused(message));
  });

  it('refuses an X-Road-UserId with an encoded CR/LF the same way', async () => {
    expect(await send({ 'X-Road-UserId': 'officer-17%0d%0a', 'X-Road-Issue': 'A-17' })).toEqual(
      refused('X-Road-UserId: must not contain control, format or bidirectional characters'),
    );
  });
});
