/** How the pages write money, dates and times: Ukrainian conventions, Kyiv time. */

const TIME_ZONE = 'Europe/Kyiv';
const time = new Intl.DateTimeFormat('uk-UA', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });
const dateTime = new Intl.DateTimeFormat('uk-UA', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** 2026-11-22T09:15:00Z → "11:15" (Kyiv). */
export const formatTime = (iso: string): string => time.format(new Date(iso));

/** An instant as date and time in Kyiv. */
export const formatDateTime = (at: string | Date): string => dateTime.format(typeof at === 'string' ? new Date(at) : at);

/** A calendar date YYYY-MM-DD → DD.MM.YYYY (no time zone involved). */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

const MONTHS = ['січ', 'лют', 'бер', 'кві', 'тра', 'чер', 'лип', 'сер', 'вер', 'жов', 'лис', 'гру'];

/** A billing period YYYY-MM → "лис 2026". */
export function formatPeriod(period: string): string {
  const [y, m] = period.split('-');
  return `${MONTHS[Number(m) - 1]} ${y}`;
}

/** A decimal string ("-1234.5") as kopiyky, exactly: no float ever holds money. */
export function toMinor(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace(/^[-+]/, '').split('.');
  const minor = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -minor : minor;
}

/** Kopiyky → "1 234,56 грн" (the absolute value: the sign is said in words by the caller). */
export function formatMinor(minor: bigint, currency = 'UAH'): string {
  const abs = minor < 0n ? -minor : minor;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const unit = currency === 'UAH' ? 'грн' : currency;
  return `${whole},${(abs % 100n).toString().padStart(2, '0')}\u00a0${unit}`;
}

export const formatMoney = (money: { amount: string; currency: string }): string => formatMinor(toMinor(money.amount), money.currency);

const UNITS: Readonly<Record<string, string>> = { M3: 'м³', KWH: 'кВт·год', GCAL: 'Гкал', M2: 'м²' };
export const unitLabel = (unit: string | null | undefined): string => (unit ? UNITS[unit] ?? unit.toLowerCase() : '');

/** A number the Ukrainian way (decimal comma). */
export const formatNumber = (value: number): string => new Intl.NumberFormat('uk-UA', { maximumFractionDigits: 3 }).format(value);
