import { callCounts, gql, resetCallCounts, startTestStack } from '../helpers/stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => { stack = await startTestStack(); });
afterAll(() => stack.stop());

const query = `query ($taxId: ID!) {
  citizen(taxId: $taxId) {
    taxId
    gasAccounts { accountNumber }
    heatingAccounts { accountNumber }
    landParcels { cadastralNumber }
  }
}`;

describe('a partner that is down', () => {
  it('nulls only its own field, with a typed error naming it, and the rest answers', async () => {
    const heating = stack.emulators.get('heating-kryvyi-rih')!.emulator;
    heating.faults.down = true;
    resetCallCounts(stack);
    try {
      const answer = await gql(stack.gatewayUrl, query, { taxId: '3111901220' });
      const citizen = answer.data?.citizen as Record<string, unknown[] | null>;
      expect(citizen.heatingAccounts).toBeNull();
      expect(citizen.gasAccounts!.length).toBeGreaterThan(0);
      expect(citizen.landParcels!.length).toBeGreaterThan(0);
      expect(answer.errors).toEqual([{
        message: 'the partner failed (HTTP 503)',
        path: ['citizen', 'heatingAccounts'],
        extensions: { code: 'PARTNER_UNAVAILABLE', partner: 'heating-kryvyi-rih', retryable: true },
      }]);
      // The first attempt and the two retries the policy allows (connection.retries, default 2), nothing more.
      expect(callCounts(stack)['heating-kryvyi-rih']).toBe(3);
    } finally {
      heating.faults.down = false;
    }
  });

  it('answers again as soon as the partner is back', async () => {
    const answer = await gql(stack.gatewayUrl, query, { taxId: '3111901220' });
    expect(answer.errors).toBeUndefined();
    expect((answer.data?.citizen as { heatingAccounts: unknown[] }).heatingAccounts.length).toBeGreaterThan(0);
  });
});
