import { callCounts, gql, resetCallCounts, startTestStack } from '../helpers/stack.js';

/**
 * A second gas company joined the memorandum (gas-vinnytsia) with nothing changed in the gateway,
 * the subgraphs or the schema: a citizen with gas at both sees both in one answer, and one
 * company being down costs only its own accounts, with a typed error naming it.
 */

let stack: Awaited<ReturnType<typeof startTestStack>>;

// Every query reaches the partners: these tests are about what the partners answer and how often they are called.
beforeAll(async () => { stack = await startTestStack({ cache: false }); });
afterAll(() => stack.stop());

const query = `query ($taxId: ID!) {
  citizen(taxId: $taxId) {
    taxId
    gasAccounts { accountNumber partner { id name } }
  }
}`;

const KRYVYI_RIH = { id: 'gas-kryvyi-rih', name: 'АТ «Криворізька газорозподільна компанія»' };
const VINNYTSIA = { id: 'gas-vinnytsia', name: 'АТ «Вінницька газорозподільна компанія»' };
// 2660404572's accounts: a house and a flat in Kryvyi Rih, a house and a disconnected connection in Vinnytsia oblast.
const KRYVYI_RIH_ACCOUNTS = [
  { accountNumber: '1226433935', partner: KRYVYI_RIH },
  { accountNumber: '1297144473', partner: KRYVYI_RIH },
];
const VINNYTSIA_ACCOUNTS = [
  { accountNumber: '0500036102', partner: VINNYTSIA },
  { accountNumber: '0500044021', partner: VINNYTSIA },
];

async function withPartnerDown<T>(id: string, run: () => Promise<T>): Promise<T> {
  const { emulator } = stack.emulators.get(id)!;
  emulator.faults.down = true;
  try {
    return await run();
  } finally {
    emulator.faults.down = false;
  }
}

describe('a citizen with gas at two companies', () => {
  it('sees the accounts of both companies in one answer, each labelled with its partner', async () => {
    resetCallCounts(stack);

    const answer = await gql(stack.gatewayUrl, query, { taxId: '2660404572' });

    expect(answer).toEqual({
      data: { citizen: { taxId: '2660404572', gasAccounts: [...KRYVYI_RIH_ACCOUNTS, ...VINNYTSIA_ACCOUNTS] } },
    });
    // Each gas company: one batch call and its tariffs (the first request of this stack); nobody else.
    expect(callCounts(stack)).toEqual({
      ...Object.fromEntries(stack.partners.map((p) => [p.ref.id, 0])),
      'gas-kryvyi-rih': 2, 'gas-vinnytsia': 2,
    });
  });

  it('keeps the Kryvyi Rih accounts and reports PARTNER_UNAVAILABLE for Vinnytsia when it is down', async () => {
    const answer = await withPartnerDown('gas-vinnytsia', () => gql(stack.gatewayUrl, query, { taxId: '2660404572' }));

    expect(answer).toEqual({
      data: { citizen: { taxId: '2660404572', gasAccounts: KRYVYI_RIH_ACCOUNTS } },
      errors: [{
        message: 'the partner failed (HTTP 503)',
        path: ['citizen', 'gasAccounts'],
        extensions: { code: 'PARTNER_UNAVAILABLE', partner: 'gas-vinnytsia', retryable: true },
      }],
    });
  });

  it('keeps the Vinnytsia accounts and reports PARTNER_UNAVAILABLE for Kryvyi Rih when it is down', async () => {
    const answer = await withPartnerDown('gas-kryvyi-rih', () => gql(stack.gatewayUrl, query, { taxId: '2660404572' }));

    expect(answer).toEqual({
      data: { citizen: { taxId: '2660404572', gasAccounts: VINNYTSIA_ACCOUNTS } },
      errors: [{
        message: 'the partner failed (HTTP 503)',
        path: ['citizen', 'gasAccounts'],
        extensions: { code: 'PARTNER_UNAVAILABLE', partner: 'gas-kryvyi-rih', retryable: true },
      }],
    });
  });

  it('nulls the field and names both companies when both are down', async () => {
    const answer = await withPartnerDown('gas-vinnytsia', () => withPartnerDown('gas-kryvyi-rih', () => gql(stack.gatewayUrl, query, { taxId: '2660404572' })));
    const unavailable = (partner: string) => ({
      message: 'the partner failed (HTTP 503)',
      path: ['citizen', 'gasAccounts'],
      extensions: { code: 'PARTNER_UNAVAILABLE', partner, retryable: true },
    });
    expect(answer.data).toEqual({ citizen: { taxId: '2660404572', gasAccounts: null } });
    expect(answer.errors).toHaveLength(2);
    expect(answer.errors).toEqual(expect.arrayContaining([unavailable('gas-kryvyi-rih'), unavailable('gas-vinnytsia')]));
  });

  it('answers in full again once both are up', async () => {
    const answer = await gql(stack.gatewayUrl, query, { taxId: '2660404572' });

    expect(answer).toEqual({
      data: { citizen: { taxId: '2660404572', gasAccounts: [...KRYVYI_RIH_ACCOUNTS, ...VINNYTSIA_ACCOUNTS] } },
    });
  });

  it('lists the published tariffs of both companies', async () => {
    const answer = await gql(stack.gatewayUrl, '{ gasTariffs { id code partner { id } validFrom validTo } }');

    expect(answer).toEqual({
      data: {
        gasTariffs: [
          { id: 'gas-kryvyi-rih:KRG-HH-2025-05', code: 'KRG-HH-2025-05', partner: { id: 'gas-kryvyi-rih' }, validFrom: '2025-05-01', validTo: null },
          { id: 'gas-kryvyi-rih:KRG-HH-2024-01', code: 'KRG-HH-2024-01', partner: { id: 'gas-kryvyi-rih' }, validFrom: '2024-01-01', validTo: '2025-04-30' },
          { id: 'gas-vinnytsia:000000014', code: '000000014', partner: { id: 'gas-vinnytsia' }, validFrom: '2026-01-01', validTo: null },
          { id: 'gas-vinnytsia:000000009', code: '000000009', partner: { id: 'gas-vinnytsia' }, validFrom: '2025-01-01', validTo: '2025-12-31' },
        ],
      },
    });
  });
});
