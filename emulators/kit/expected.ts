/**
 * What an adapter must map an emulator's records to, written straight from the emulator's own
 * records (never through an adapter), for the conformance suite's "expected records" checks. The
 * shape is the one a partner writes by hand for a live system (adapters/<partner>/conformance.expected.json):
 * per tax id the partial records (only the fields given are compared), and the partner's tariffs.
 */
export interface ExpectedData {
  /** Per tax id: the records (accounts, parcels, vehicles); [] for someone who is no customer. */
  records: Record<string, unknown[]>;
  /** Utilities: what tariffs() must return (partial tariffs). */
  tariffs?: unknown[];
}

export type ExpectedOf = (taxIds: readonly string[]) => ExpectedData;

export const money = (minorUnits: number) => ({ minorUnits, currency: 'UAH' });

/** Moves the decimal point of a non-negative decimal `places` to the left, exactly: ("136237", 2) → "1362.37". */
export function movePoint(text: string, places: number): string {
  const [whole, fraction = ''] = text.split('.');
  const digits = `${whole}${fraction}`.padStart(places + fraction.length + 1, '0');
  const point = digits.length - places - fraction.length;
  const out = `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/^0+(?=\d)/, '');
  return out.replace(/\.?0+$/, '') || '0';
}

/** Whole thousandths → a decimal number (litres → m³, milli-Gcal → Gcal), exactly as written. */
export const thousandths = (n: number): number => Number(movePoint(String(n), 3));

export function byTaxId(taxIds: readonly string[], recordsOf: (taxId: string) => unknown[]): Record<string, unknown[]> {
  return Object.fromEntries(taxIds.map((taxId) => [taxId, recordsOf(taxId)]));
}
