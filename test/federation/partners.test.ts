import { DEFAULT_MEMORANDUM_FILE, loadMemorandum, type PartnerEntry } from '../../domain/memorandum.js';
import { gql, startTestStack } from '../helpers/stack.js';

/** The checked-in memorandum: the partners the API must list, as its entries say. */
const MEMORANDUM = await loadMemorandum(DEFAULT_MEMORANDUM_FILE);
const entry = (id: string): PartnerEntry => MEMORANDUM.partners.find((p) => p.id === id)!;
/** A memorandum entry as the API shows it before anyone has called the partner. */
const uncalled = (p: PartnerEntry) => ({
  id: p.id, name: p.name, edrpou: p.edrpou, domain: p.domain.toUpperCase(), region: p.region, joinedOn: p.joined, status: 'UNKNOWN',
  health: { recentCalls: 0, recentFailures: 0, lastCallAt: null, lastFailureAt: null },
});

let stack: Awaited<ReturnType<typeof startTestStack>>;

// Every query reaches the partners: these tests are about what the partners answer and how often they are called.
beforeAll(async () => { stack = await startTestStack({ cache: false }); });
afterAll(() => stack.stop());

const partnersQuery = `{ partners { id name edrpou domain region joinedOn status health { recentCalls recentFailures } } }`;
const statuses = async () => {
  const answer = await gql(stack.gatewayUrl, partnersQuery);
  expect(answer.errors).toBeUndefined();
  return Object.fromEntries((answer.data!.partners as Array<{ id: string; status: string }>).map((p) => [p.id, p.status]));
};
const heatingOnly = `query ($taxId: ID!) { citizen(taxId: $taxId) { heatingAccounts { accountNumber } } }`;

describe('the memorandum in the API', () => {
  it('lists every partner with its domain, region and joined date, without naming any citizen', async () => {
    const fields = 'id name edrpou domain region joinedOn status health { recentCalls recentFailures lastCallAt lastFailureAt }';
    expect(await gql(stack.gatewayUrl, `{ partners { ${fields} } }`)).toEqual({ data: { partners: MEMORANDUM.partners.map(uncalled) } });
    expect(await gql(stack.gatewayUrl, `{ partners(domain: CADASTRE) { ${fields} } }`)).toEqual({
      data: { partners: MEMORANDUM.partners.filter((p) => p.domain === 'cadastre').map(uncalled) },
    });
  });

  it('shows each partner UP once its calls succeed, DOWN after repeated failures, DEGRADED while it recovers', async () => {
    const before = await statuses();
    expect(new Set(Object.values(before))).toEqual(new Set(['UNKNOWN']));

    expect((await gql(stack.gatewayUrl, heatingOnly, { taxId: '3111901220' })).errors).toBeUndefined();
    expect((await statuses())['heating-kryvyi-rih']).toBe('UP');

    const heating = stack.emulators.get('heating-kryvyi-rih')!.emulator;
    heating.faults.down = true;
    try {
      for (let i = 0; i < 3; i++) await gql(stack.gatewayUrl, heatingOnly, { taxId: '3111901220' });
      expect((await statuses())['heating-kryvyi-rih']).toBe('DOWN');
    } finally {
      heating.faults.down = false;
    }
    await gql(stack.gatewayUrl, heatingOnly, { taxId: '3111901220' });
    const after = await gql(stack.gatewayUrl, `{ partners(domain: HEATING) { status health { recentFailures } } }`);
    expect(after.data).toEqual({ partners: [{ status: 'DEGRADED', health: { recentFailures: 3 } }] });
    // Partners nobody called stay UNKNOWN rather than claiming to be up.
    expect((await statuses())['vehicles-mvs']).toBe('UNKNOWN');
  });

  it('resolves an account\'s partner to the memorandum entry, through the centre', async () => {
    const answer = await gql(stack.gatewayUrl, `{ citizen(taxId: "2660404572") { waterAccounts { partner { id region joinedOn status } } } }`);
    expect(answer.errors).toBeUndefined();
    const partners = (answer.data!.citizen as { waterAccounts: Array<{ partner: unknown }> }).waterAccounts.map((a) => a.partner);
    const water = entry('water-kryvyi-rih');
    expect(partners[0]).toEqual({ id: water.id, region: water.region, joinedOn: water.joined, status: 'UP' });
  });
});
