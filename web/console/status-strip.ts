/** The partners' status strip: every memorandum partner and its status, refreshed while the page is open. */
import { PartnerStatusesDocument, type PartnerStatusesQuery } from '../generated/graphql.js';
import { request } from '../shared/api.js';
import { h, region } from '../shared/dom.js';
import { formatTime } from '../shared/format.js';

export type PartnerInfo = PartnerStatusesQuery['partners'][number];

const STATUS_LABEL: Readonly<Record<string, string>> = {
  UP: 'працює', DEGRADED: 'з перебоями', DOWN: 'не відповідає', NOT_CONNECTED: 'не під’єднано', UNKNOWN: 'ще не опитано',
};

export const REFRESH_MS = 30_000;

export interface StatusStrip {
  element: HTMLElement;
  /** Asks again now; resolves with the partners (also what names partners in error messages). */
  refresh(): Promise<readonly PartnerInfo[]>;
  partnerName(id: string): string;
}

export function createStatusStrip(token: () => string): StatusStrip {
  const list = h('ul', { class: 'strip-list' });
  const updated = h('p', { class: 'strip-updated' });
  const element = region('Стан партнерів', 2, { class: 'strip no-print' }, list, updated);
  const names = new Map<string, string>();

  async function refresh(): Promise<readonly PartnerInfo[]> {
    try {
      const answer = await request(PartnerStatusesDocument, {}, { token: token() });
      const partners = answer.data?.partners ?? [];
      for (const p of partners) names.set(p.id, p.name);
      list.replaceChildren(...partners.map((p) => h('li', { class: `status status-${p.status.toLowerCase()}`, 'data-partner': p.id },
        h('span', { class: 'partner-name' }, p.name), ' ',
        h('span', { class: 'status-code' }, `${p.status} · ${STATUS_LABEL[p.status] ?? p.status}`))));
      updated.textContent = `Оновлено о ${formatTime(new Date().toISOString())}`;
      return partners;
    } catch {
      updated.textContent = 'Не вдалося оновити стан партнерів.';
      return [];
    }
  }

  setInterval(() => void refresh(), REFRESH_MS);
  return { element, refresh, partnerName: (id) => names.get(id) ?? id };
}
