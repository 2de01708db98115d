/**
 * One screen per citizen: who the number says they are, then one region per declared domain with
 * every account, parcel and vehicle, what is missing and why, and the printable summary.
 */
import type { ConsoleAccountFragment, ConsoleCitizenQuery } from '../generated/graphql.js';
import { DOMAINS, type PageDomain } from '../generated/domains.js';
import { errorsAt, type Answer, type AnswerError } from '../shared/api.js';
import { button, h, region } from '../shared/dom.js';
import { formatDate, formatDateTime, formatMinor, toMinor } from '../shared/format.js';
import { explainError } from '../shared/messages.js';
import { SEX_LABEL } from '../shared/tax-id.js';
import { extractControl, type ExtractContext } from './extract.js';
import { accountCard, registryCard, type RegistryItem } from './items.js';

type Citizen = NonNullable<ConsoleCitizenQuery['citizen']>;

export interface ViewContext {
  ticket: string;
  extract: () => ExtractContext;
  partnerName(id: string): string;
}

const itemsOf = (citizen: Citizen, domain: PageDomain) => (citizen as unknown as Record<string, unknown[] | null>)[domain.citizenField];

/** The messages of a region: each failed partner named with its reason, or the field refused. */
function problems(errors: readonly AnswerError[], context: ViewContext): HTMLElement[] {
  const seen = new Set<string>();
  return errors.flatMap((error) => {
    const text = explainError(error, context.partnerName);
    if (seen.has(text)) return [];
    seen.add(text);
    const forbidden = error.extensions?.code === 'FORBIDDEN';
    return [h('p', { class: forbidden ? 'problem forbidden' : 'problem' }, h('strong', {}, forbidden ? 'Доступ обмежено. ' : 'Увага. '), text)];
  });
}

function domainRegion(domain: PageDomain, citizen: Citizen, answer: Answer<ConsoleCitizenQuery>, context: ViewContext): HTMLElement {
  const items = itemsOf(citizen, domain);
  let errors = errorsAt(answer.errors, ['citizen', domain.citizenField]);
  // A field left null by an error that names no field of its own (the whole answer's budget, a
  // subgraph that failed as a whole): the region still says it has no data, and why if known.
  if (!items && errors.length === 0) {
    const general = answer.errors.filter((e) => !e.path || e.path.length < 2);
    errors = general.length > 0 ? general : [{ message: 'no data', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
  }
  const cards = (items ?? []).map((item) => {
    if (domain.kind === 'utility') return accountCard(item as ConsoleAccountFragment, answer.warnings);
    const registryItem = item as RegistryItem;
    const extract = domain.extract ? extractControl(domain.extract, registryItem.subject, context.extract) : null;
    return registryCard(domain.itemType, domain.subject, registryItem, answer.warnings, extract);
  });
  const empty = items && items.length === 0 && errors.length === 0 ? h('p', { class: 'empty' }, 'Записів немає.') : null;
  return region(domain.title, 3, { class: 'domain', 'data-domain': domain.id, 'data-state': errors.length > 0 ? (items ? 'partial' : 'failed') : 'ok' },
    ...problems(errors, context), empty, cards.length > 0 ? h('div', { class: 'items' }, ...cards) : null);
}

/** Net balance per utility partner, in kopiyky: positive owed, negative paid in advance. */
function totalsByPartner(citizen: Citizen): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const domain of DOMAINS) {
    if (domain.kind !== 'utility') continue;
    for (const account of (itemsOf(citizen, domain) ?? []) as ConsoleAccountFragment[]) {
      totals.set(account.partner.name, (totals.get(account.partner.name) ?? 0n) + toMinor(account.balance.amount));
    }
  }
  return totals;
}

/** The summary the citizen takes away (the print stylesheet prints only it, on one A4 page). */
function summary(citizen: Citizen, answer: Answer<ConsoleCitizenQuery>, context: ViewContext): HTMLElement {
  const totals = totalsByPartner(citizen);
  let owed = 0n;
  const rows = [...totals].map(([partner, minor]) => {
    if (minor > 0n) owed += minor;
    return h('tr', {}, h('th', { scope: 'row' }, partner),
      h('td', {}, minor > 0n ? `Борг: ${formatMinor(minor)}` : minor < 0n ? `Переплата: ${formatMinor(minor)}` : 'Заборгованості немає'));
  });
  const failed = [...new Set(answer.errors.filter((e) => e.extensions?.partner).map((e) => context.partnerName(String(e.extensions!.partner))))];
  return region('Підсумок для громадянина', 2, { id: 'summary', class: 'summary' },
    h('p', { class: 'summary-meta' }, `Талон: ${context.ticket} · РНОКПП ${citizen.taxId} · станом на ${formatDateTime(new Date())}`),
    h('table', { class: 'totals' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Партнер'), h('th', { scope: 'col' }, 'Сума'))),
      h('tbody', {}, ...rows),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Усього до сплати'), h('td', {}, formatMinor(owed))))),
    failed.length > 0 ? h('p', { class: 'problem' }, `Не отримано даних від: ${failed.join(', ')}. Суми можуть бути неповними.`) : null,
    button('Друкувати підсумок', () => window.print(), { class: 'no-print' }),
  );
}

/** The whole screen for one citizen; its heading takes focus so the next key reads on from there. */
export function citizenView(answer: Answer<ConsoleCitizenQuery>, context: ViewContext): HTMLElement {
  const citizen = answer.data?.citizen;
  if (!citizen) {
    const reason = answer.errors[0] ? explainError(answer.errors[0], context.partnerName) : 'Громадянина не знайдено.';
    return h('div', { class: 'result' }, h('h2', { id: 'citizen-heading', tabindex: -1 }, 'Дані не отримано'), h('p', { class: 'problem' }, reason));
  }
  const header = h('div', { class: 'citizen-header' },
    h('h2', { id: 'citizen-heading', tabindex: -1 }, `Громадянин: РНОКПП ${citizen.taxId}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Дата народження'), h('dd', {}, formatDate(citizen.birthDate)),
      h('dt', {}, 'Стать'), h('dd', {}, SEX_LABEL[citizen.sex]),
      h('dt', {}, 'Талон'), h('dd', {}, context.ticket)));
  return h('div', { class: 'result' }, header, summary(citizen, answer, context),
    h('div', { class: 'regions' }, ...DOMAINS.map((d) => domainRegion(d, citizen, answer, context))));
}
