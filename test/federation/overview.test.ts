import { checkCadastralNumber, checkEic, checkVin, normalizePlate } from '../../domain/identifiers.js';
import { loadQuery } from '../../docs/queries/index.js';
import { gql, resetCallCounts, startTestStack, type GraphQLResponse } from '../helpers/stack.js';
import { golden } from '../helpers/golden.js';

const overview = loadQuery('overview');
const DOMAIN_FIELDS = ['gasAccounts', 'heatingAccounts', 'waterAccounts', 'electricityAccounts', 'landParcels', 'vehicles'] as const;
let stack: Awaited<ReturnType<typeof startTestStack>>;
/** An account's bills, newest first, as the overview asks for them. */
const BILLS_OF = (account: Record<string, any>): Array<Record<string, any>> => account.bills.nodes;

// Every query reaches the partners: these tests are about what the partners answer and how often they are called.
beforeAll(async () => { stack = await startTestStack({ cache: false }); });
afterAll(() => stack.stop());

type Obj = Record<string, any>;
const citizenOf = (answer: GraphQLResponse) => answer.data!.citizen as Obj;

describe('the overview query through the whole federation', () => {
  it.each(['3111901220', '2660404572'])('answers for demo citizen %s with data from all seven partners and no errors', async (taxId) => {
    const answer = await gql(stack.gatewayUrl, overview, { taxId });
    expect(answer.errors).toBeUndefined();
    for (const field of DOMAIN_FIELDS) expect(citizenOf(answer)[field].length).toBeGreaterThan(0);
    // Both gas companies of the memorandum, in its order.
    expect([...new Set(citizenOf(answer).gasAccounts.map((a: Obj) => a.partner.id))]).toEqual(['gas-kryvyi-rih', 'gas-vinnytsia']);
    expect(answer).toEqual(golden(`overview-${taxId}`, answer));
  });

  it('maps valid identifiers, exact decimal money and bills that add up', async () => {
    const citizen = citizenOf(await gql(stack.gatewayUrl, overview, { taxId: '2660404572' }));
    const accounts = [...citizen.gasAccounts, ...citizen.heatingAccounts, ...citizen.waterAccounts, ...citizen.electricityAccounts];
    // Kopiyky as a bigint, from the decimal string with its two places: no float anywhere.
    const kop = (money: Obj) => {
      expect(money.amount).toMatch(/^-?\d+\.\d{2}$/);
      return BigInt(money.amount.replace('.', ''));
    };
    for (const account of accounts) {
      const bills = BILLS_OF(account);
      expect(kop(account.balance)).toBe(kop(bills[0].toPay));
      for (const bill of bills) {
        expect(kop(bill.toPay)).toBe(kop(bill.openingBalance) + kop(bill.accrued) - kop(bill.paid));
      }
      for (let i = 1; i < bills.length; i++) {
        expect(kop(bills[i - 1].openingBalance)).toBe(kop(bills[i].toPay));
      }
    }
    for (const a of [...citizen.gasAccounts, ...citizen.electricityAccounts]) expect(checkEic(a.eic)).toBeNull();
    for (const p of citizen.landParcels) expect(checkCadastralNumber(p.cadastralNumber)).toBeNull();
    for (const v of citizen.vehicles) {
      expect(checkVin(v.vin)).toBeNull();
      expect(normalizePlate(v.plateCyrillic)).toBe(v.plate);
    }
    // The overview issues no document: without caching nothing issued is kept to read.
    expect([...citizen.landParcels, ...citizen.vehicles].map((x) => x.issuedExtract)).toEqual([...citizen.landParcels, ...citizen.vehicles].map(() => null));
  });

  it('gives every object a client may cache an id that no other object of the answer shares', async () => {
    // What a normalising client cache (Apollo Client, Relay) would merge: one id, one object.
    const byId = new Map<string, string>();
    const collisions: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(walk);
      if (!value || typeof value !== 'object') return;
      const object = value as Obj;
      if (typeof object.id === 'string') {
        const seen = byId.get(object.id);
        if (seen !== undefined && seen !== JSON.stringify(object)) collisions.push(object.id);
        byId.set(object.id, JSON.stringify(object));
      }
      Object.values(object).forEach(walk);
    };
    for (const taxId of ['3111901220', '2660404572']) walk(await gql(stack.gatewayUrl, overview, { taxId }));
    expect(collisions).toEqual([]);
    // Accounts, tariffs, parcels and vehicles are partner-qualified; the partner's own code stays beside the id.
    const citizen = citizenOf(await gql(stack.gatewayUrl, overview, { taxId: '3111901220' }));
    for (const a of [...citizen.gasAccounts, ...citizen.heatingAccounts, ...citizen.waterAccounts, ...citizen.electricityAccounts]) {
      expect([a.id, a.tariff.id]).toEqual([`${a.partner.id}:${a.accountNumber}`, `${a.tariff.partner.id}:${a.tariff.code}`]);
    }
    for (const p of citizen.landParcels) expect(p.id).toBe(`cadastre-dzk:${p.cadastralNumber}`);
    for (const v of citizen.vehicles) expect(v.id).toBe(`vehicles-mvs:${v.vin}`);
  });

  it('logs each partner call and request without personal data', async () => {
    const before = stack.log.lines.length;
    for (const taxId of ['3111901220', '2660404572']) await gql(stack.gatewayUrl, overview, { taxId });
    const lines = stack.log.lines.slice(before);
    const partnerCalls = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'partner call');
    expect(new Set(partnerCalls.map((l) => l.partner))).toEqual(new Set(stack.partners.map((p) => p.ref.id)));
    for (const call of partnerCalls) expect(Object.keys(call).sort()).toEqual(['level', 'ms', 'msg', 'op', 'partner', 'requestId', 'service', 'status', 'time']);
    const text = lines.join('\n');
    for (const personal of ['3111901220', '2660404572', 'Коваленко', 'Шевченко', 'Металургів', 'AE4127KC', 'АЕ4127КС']) {
      expect(text).not.toContain(personal);
    }
  });

  it('calls each partner no more often than its protocol requires', async () => {
    await gql(stack.gatewayUrl, overview, { taxId: '3111901220' }); // warm the tariff caches
    for (const taxId of ['3111901220', '2660404572']) {
      resetCallCounts(stack);
      const answer = await gql(stack.gatewayUrl, overview, { taxId });
      expect(answer.errors).toBeUndefined();
      const c = citizenOf(answer);
      const stats = (id: string) => stack.emulators.get(id)!.emulator.stats.byOperation;
      // Batch partners: one call per plan step, whatever the number of citizens (see test/subgraphs).
      expect(stats('gas-kryvyi-rih')).toEqual({ batchLookup: 1 });
      expect(stats('gas-vinnytsia')).toEqual({ abonents: 1 });
      // The cadastre answers owners in one call; reading the overview issues no extract.
      expect(stats('cadastre-dzk')).toEqual({ parcelsByOwner: 1 });
      // SOAP, one account per call: find the accounts, then one call per account.
      expect(stats('heating-kryvyi-rih')).toEqual({ FindAccountsByTaxId: 1, GetAccount: c.heatingAccounts.length });
      expect(stats('vehicles-mvs')).toEqual({ registrationsByOwner: 1 });
      // The OAuth2 token is still valid from the warm-up: no token call.
      expect(stats('electricity-kryvyi-rih')).toEqual({ meteringPoints: 1 });
      // Paginated: as many pages as the citizen's accounts need, at two per page.
      expect(stats('water-kryvyi-rih')).toEqual({ accounts: Math.ceil(c.waterAccounts.length / 2) });
    }
  });
});
