import type { Rng } from '../population/random.js';

/**
 * Monthly balances in kopiyky that add up: toPay = opening + accrued − paid, and each month opens
 * with the previous month's toPay. How the customer pays depends on its profile.
 */

export type Profile = 'REGULAR' | 'DEBT' | 'CREDIT';

export interface BillAmounts {
  opening: number;
  accrued: number;
  paid: number;
  toPay: number;
}

/** Whole hryvnias, as people pay at a cash desk or in a banking app. */
const hryvnias = (kop: number) => Math.max(0, Math.round(kop / 100) * 100);

/**
 * @param accrued kopiyky accrued each month, oldest first
 * @param unpaidTail the last months without any payment (a disconnected account)
 */
export function buildBills(rng: Rng, profile: Profile, accrued: readonly number[], unpaidTail = 0): BillAmounts[] {
  const typical = Math.round(accrued.reduce((s, a) => s + a, 0) / Math.max(1, accrued.length));
  let opening = profile === 'DEBT' ? rng.int(300, 4000) * 100 + rng.int(0, 99)
    : profile === 'CREDIT' ? -rng.int(50, 600) * 100
      : typical;
  return accrued.map((amount, i) => {
    let paid: number;
    if (i >= accrued.length - unpaidTail) paid = 0;
    else if (profile === 'REGULAR') paid = Math.max(0, opening);
    else if (profile === 'DEBT') paid = rng.chance(0.4) ? 0 : hryvnias(Math.max(0, opening) * rng.int(20, 70) / 100);
    // Credit: pays each bill as it comes and now and then a round sum ahead.
    else paid = amount + (rng.chance(0.2) ? rng.int(1, 3) * 5_000 : 0);
    const bill = { opening, accrued: amount, paid, toPay: opening + amount - paid };
    opening = bill.toPay;
    return bill;
  });
}
