/** One account, parcel or vehicle: its partner, money, tariff, recent bills and readings, freshness. */
import type { ConsoleAccountFragment, ConsoleSourceFragment } from '../generated/graphql.js';
import type { AnswerWarning } from '../shared/api.js';
import { h } from '../shared/dom.js';
import { formatDate, formatMoney, formatNumber, formatPeriod, formatTime, toMinor, unitLabel } from '../shared/format.js';
import { consumptionChart } from './chart.js';

/** A registry item as the console's operation asks for it: `subject` is the extract's key, aliased. */
export interface RegistryItem {
  id: string;
  subject: string;
  partner: { id: string; name: string };
  source: ConsoleSourceFragment;
  [detail: string]: unknown;
}

/** Live, cached at HH:MM, or stale since HH:MM with the reason. */
export function freshnessBadge(source: ConsoleSourceFragment, warnings: readonly AnswerWarning[]): HTMLElement {
  const at = formatTime(source.fetchedAt);
  if (source.freshness === 'LIVE') return h('span', { class: 'badge badge-live' }, '● наживо');
  if (source.freshness === 'CACHED') return h('span', { class: 'badge badge-cached' }, `◐ кешовано о ${at}`);
  const stale = warnings.some((w) => w.code === 'STALE_DATA' && w.partner === source.partner.id);
  return h('span', { class: 'badge badge-stale' }, `○ застаріле з ${at}`,
    h('span', { class: 'badge-reason' }, stale ? ` — ${source.partner.name} зараз не відповідає, показано останню отриману копію` : ' — партнер зараз не відповідає'));
}

/** The balance in words and sign, never by colour alone. */
export function balanceText(account: Pick<ConsoleAccountFragment, 'balance' | 'balanceState'>): HTMLElement {
  const amount = formatMoney(account.balance);
  if (account.balanceState === 'DEBT') return h('strong', { class: 'money debt' }, `Борг: −${amount}`);
  if (account.balanceState === 'CREDIT') return h('span', { class: 'money credit' }, `Переплата: +${amount}`);
  return h('span', { class: 'money settled' }, 'Заборгованості немає');
}

const row = (term: string, ...value: Array<Node | string>) => [h('dt', {}, term), h('dd', {}, ...value)];

export function accountCard(account: ConsoleAccountFragment, warnings: readonly AnswerWarning[]): HTMLElement {
  const tariff = account.tariff;
  const prices = tariff.components.map((c) => `${c.name}${c.zone ? ` (${c.zone.name.toLowerCase()})` : ''}: ${formatMoney(c.price).replace(/\u00a0грн$/, '')} грн/${unitLabel(c.price.unit)}`).join('; ');
  const bills = account.bills.nodes.slice(0, 3);
  const readings = account.readings.nodes.slice(0, 3);
  const chart = consumptionChart(account.bills.nodes);
  return h('article', { class: 'item', 'aria-label': `Рахунок ${account.accountNumber}` },
    h('h4', {}, `Рахунок ${account.accountNumber} `, freshnessBadge(account.source, warnings)),
    h('dl', {},
      ...row('Партнер', account.partner.name),
      ...row('Адреса', account.address),
      ...row('Баланс', balanceText(account)),
      ...row('Тариф', `${tariff.name} — ${prices}`, h('span', { class: 'since' }, ` (діє з ${formatDate(tariff.validFrom)})`)),
      ...(readings.length > 0 ? row('Показники', readings.map((r) => `${formatDate(r.takenOn)}: ${formatNumber(r.value)} ${unitLabel(r.unit)}${r.zone ? ` (${r.zone.toLowerCase()})` : ''}${r.estimated ? ' (розрахунковий)' : ''}`).join('; ')) : []),
    ),
    bills.length > 0 ? h('table', { class: 'bills' },
      h('caption', {}, 'Останні рахунки'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Період'), h('th', { scope: 'col' }, 'Нараховано'), h('th', { scope: 'col' }, 'Сплачено'), h('th', { scope: 'col' }, 'До сплати'))),
      h('tbody', {}, ...bills.map((b) => h('tr', {},
        h('th', { scope: 'row' }, formatPeriod(b.period)), h('td', {}, formatMoney(b.accrued)), h('td', {}, formatMoney(b.paid)),
        h('td', {}, `${toMinor(b.toPay.amount) < 0n ? '−' : ''}${formatMoney(b.toPay)}`))))) : null,
    chart ? h('figure', { class: 'chart-figure' }, chart, h('figcaption', {}, 'Споживання за 12 місяців')) : null,
  );
}

const PARCEL_OWNERSHIP: Readonly<Record<string, string>> = { PRIVATE: 'приватна', COMMUNAL: 'комунальна', STATE: 'державна' };

/** What each registry's items say besides their key: by item type, so an unknown type still shows its key and partner. */
const DETAILS: Readonly<Record<string, (item: RegistryItem) => Array<[string, string]>>> = {
  LandParcel: (p) => [
    ['Площа', `${String(p.areaHectares).replace('.', ',')} га`],
    ['Адреса', String(p.address)],
    ['Призначення', String((p.purpose as { name: string }).name)],
    ['Власність', PARCEL_OWNERSHIP[String(p.ownershipForm)] ?? String(p.ownershipForm).toLowerCase()],
  ],
  Vehicle: (v) => [
    ['Номер', String(v.plate)],
    ['Марка, модель', `${v.brand} ${v.model}, ${v.makeYear}`],
    ['Колір', String(v.color)],
  ],
};

const SUBJECT_LABEL: Readonly<Record<string, string>> = { cadastralNumber: 'Ділянка', vin: 'VIN' };

export function registryCard(itemType: string, subjectField: string, item: RegistryItem, warnings: readonly AnswerWarning[], extract: HTMLElement | null): HTMLElement {
  const details = DETAILS[itemType]?.(item) ?? [];
  const name = `${SUBJECT_LABEL[subjectField] ?? subjectField} ${item.subject}`;
  return h('article', { class: 'item', 'aria-label': name },
    h('h4', {}, `${name} `, freshnessBadge(item.source, warnings)),
    h('dl', {}, ...row('Партнер', item.partner.name), ...details.flatMap(([term, value]) => row(term, value))),
    extract,
  );
}
