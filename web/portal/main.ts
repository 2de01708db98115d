/**
 * The citizen's reference page: how the portal team consumes the API for a signed-in citizen. Only
 * registered operations (MyOverview, MyAccessLog), through the typed client and `request`.
 */
import { DOMAINS } from '../generated/domains.js';
import { MyAccessLogDocument, MyOverviewDocument, type MyAccountFragment, type MyAccessLogQuery, type MyOverviewQuery } from '../generated/graphql.js';
import { currentSession, signIn, signInError, signOut, type Session } from '../shared/auth.js';
import { request, type AnswerError } from '../shared/api.js';
import { button, h, region } from '../shared/dom.js';
import { formatDate, formatDateTime, formatMoney } from '../shared/format.js';
import { explainError } from '../shared/messages.js';

const app = document.getElementById('app')!;
const who = document.getElementById('who')!;

const PAGE_SIZE = 10;
type Me = NonNullable<MyOverviewQuery['me']>;

const problem = (errors: readonly AnswerError[]) =>
  errors.map((e) => h('p', { class: 'problem' }, explainError(e, (id) => id)));

function balance(account: MyAccountFragment): string {
  if (account.balanceState === 'DEBT') return `Борг: −${formatMoney(account.balance)}`;
  if (account.balanceState === 'CREDIT') return `Переплата: +${formatMoney(account.balance)}`;
  return 'Заборгованості немає';
}

function accounts(me: Me, errors: readonly AnswerError[]): HTMLElement {
  const rows = DOMAINS.filter((d) => d.kind === 'utility').flatMap((d) => {
    const list = ((me as unknown as Record<string, MyAccountFragment[] | null>)[d.citizenField] ?? []);
    return list.map((a) => h('tr', {},
      h('td', {}, d.title), h('td', {}, a.partner.name), h('th', { scope: 'row' }, a.accountNumber),
      h('td', {}, balance(a)), h('td', {}, a.tariff.name)));
  });
  const failed = errors.filter((e) => DOMAINS.some((d) => d.kind === 'utility' && e.path?.[1] === d.citizenField));
  return region('Мої рахунки', 2, {}, ...problem(failed), h('table', {},
    h('thead', {}, h('tr', {}, ...['Послуга', 'Партнер', 'Рахунок', 'Баланс', 'Тариф'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows)));
}

function parcels(me: Me, errors: readonly AnswerError[]): HTMLElement {
  return region('Мої земельні ділянки', 2, {}, ...problem(errors.filter((e) => e.path?.[1] === 'landParcels')),
    h('ul', {}, ...(me.landParcels ?? []).map((p) => h('li', {}, `${p.cadastralNumber} — ${p.areaHectares.replace('.', ',')} га, ${p.address} (${p.purpose.name})`))));
}

function vehicles(me: Me, errors: readonly AnswerError[]): HTMLElement {
  return region('Мій транспорт', 2, {}, ...problem(errors.filter((e) => e.path?.[1] === 'vehicles')),
    h('ul', {}, ...(me.vehicles ?? []).map((v) => h('li', {}, `${v.plate} — ${v.brand} ${v.model}, ${v.makeYear}; зареєстровано ${formatDate(v.registration.date)}`))));
}

const ACTION: Readonly<Record<string, string>> = { LOOKUP: 'Перегляд даних', ISSUANCE: 'Видача витягу' };
const OUTCOME: Readonly<Record<string, string>> = {
  PENDING: 'триває', ANSWERED: 'надано', PARTIAL: 'надано частково', REFUSED: 'відмовлено', FAILED: 'не вдалося',
};
const domainTitle = (value: string) => DOMAINS.find((d) => d.id.toUpperCase() === value)?.title ?? value;

type LogPage = NonNullable<NonNullable<MyAccessLogQuery['me']>['accessLog']>;

/** «Хто переглядав мої дані»: newest first, a page at a time («Далі», «Назад»). */
function accessLog(session: Session): HTMLElement {
  const body = h('div', {});
  const section = region('Хто переглядав мої дані', 2, { class: 'access-log' }, body);
  const cursors: Array<string | null> = [null];

  async function show(page: number): Promise<void> {
    body.setAttribute('aria-busy', 'true');
    const answer = await request(MyAccessLogDocument, { first: PAGE_SIZE, after: cursors[page] }, { token: session.accessToken });
    body.removeAttribute('aria-busy');
    const log: LogPage | null | undefined = answer.data?.me?.accessLog;
    if (!log) {
      body.replaceChildren(...problem(answer.errors));
      return;
    }
    cursors[page + 1] = log.pageInfo.endCursor ?? null;
    const nav = h('div', { class: 'pager' },
      page > 0 ? button('Назад', () => void show(page - 1)) : null,
      h('span', {}, ` Сторінка ${page + 1} `),
      log.pageInfo.hasNextPage ? button('Далі', () => void show(page + 1)) : null);
    body.replaceChildren(
      h('table', {},
        h('thead', {}, h('tr', {}, ...['Коли', 'Хто', 'Мета', 'Дія', 'Які дані', 'Результат'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...log.edges.map(({ node }) => h('tr', {},
          h('th', { scope: 'row' }, formatDateTime(node.at)),
          h('td', {}, node.official ? `${node.institution}, ${node.official}` : node.institution),
          h('td', {}, node.purpose ?? '—'),
          h('td', {}, ACTION[node.action] ?? node.action),
          h('td', {}, node.domains.map(domainTitle).join(', ')),
          h('td', {}, OUTCOME[node.outcome] ?? node.outcome))))),
      ...(log.edges.length === 0 ? [h('p', {}, 'Записів немає.')] : []),
      nav);
  }
  void show(0);
  return section;
}

async function showSignedIn(session: Session): Promise<void> {
  who.replaceChildren(h('span', {}, session.name), ' ', button('Вийти', () => void signOut('portal')));
  app.replaceChildren(h('h1', {}, 'Мої рахунки, ділянки та транспорт'), h('p', { role: 'status' }, 'Завантаження…'));
  const answer = await request(MyOverviewDocument, {}, { token: session.accessToken });
  const me = answer.data?.me;
  const overview = me
    ? [h('p', {}, `РНОКПП ${me.taxId}, дата народження ${formatDate(me.birthDate)}`), accounts(me, answer.errors), parcels(me, answer.errors), vehicles(me, answer.errors)]
    : problem(answer.errors);
  app.replaceChildren(h('h1', {}, 'Мої рахунки, ділянки та транспорт'), ...overview, accessLog(session));
}

const session = await currentSession('portal');
if (session) await showSignedIn(session);
else {
  app.replaceChildren(h('h1', {}, 'Мої дані у партнерів ЦНАП'), button('Увійти', () => void signIn('portal')));
  const error = signInError('portal');
  if (error) app.append(h('p', { class: 'error', role: 'alert' }, error));
}
