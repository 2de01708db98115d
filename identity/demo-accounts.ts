/**
 * The demo's accounts at the local OpenID provider that stands in for the centre's identity
 * provider in the embedded default (`npm start` prints them). Demo only: the provider that knows
 * them refuses to run under NODE_ENV=production.
 */
import { ALL_SCOPES, type Principal } from './principal.js';
import { DEMO_STAFF } from './dev-issuer.js';

export interface DemoAccount {
  login: string;
  password: string;
  /** What the access token issued to this account describes. */
  principal: Principal;
  /** One line for `npm start`'s banner. */
  about: string;
}

const PARTIAL_SCOPES = ['gas:read', 'heating:read', 'water:read', 'electricity:read'] as const;

export const DEMO_ACCOUNTS: readonly DemoAccount[] = Object.freeze([
  {
    login: 'levchenko', password: 'vikno-demo-1',
    principal: { kind: 'staff', ...DEMO_STAFF, scopes: ALL_SCOPES },
    about: 'staff, every scope',
  },
  {
    login: 'bondar', password: 'vikno-demo-2',
    principal: { kind: 'staff', id: 'staff-0117', name: 'Олег Бондар', centre: DEMO_STAFF.centre, scopes: ALL_SCOPES.filter((s) => (PARTIAL_SCOPES as readonly string[]).includes(s)) },
    about: 'staff, utilities only (no land, vehicles or housing)',
  },
  { login: '3111901220', password: 'vikno-demo-3', principal: { kind: 'citizen', taxId: '3111901220' }, about: 'citizen' },
  { login: '2660404572', password: 'vikno-demo-4', principal: { kind: 'citizen', taxId: '2660404572' }, about: 'citizen' },
]);

export function demoAccount(login: string): DemoAccount {
  const account = DEMO_ACCOUNTS.find((a) => a.login === login);
  if (!account) throw new Error(`no demo account "${login}" (known: ${DEMO_ACCOUNTS.map((a) => a.login).join(', ')})`);
  return account;
}
