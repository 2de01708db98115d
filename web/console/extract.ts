/**
 * Issuing a registry extract: an explicit action (a button per parcel or vehicle), never a side
 * effect of opening the page. The document is offered as a download, and its SHA-256 is computed in
 * the browser (Web Crypto) and compared with the one the registry stated.
 */
import type { RegistryDomain } from '../generated/domains.js';
import { request, type Operation } from '../shared/api.js';
import { button, h } from '../shared/dom.js';
import { formatDateTime } from '../shared/format.js';
import { explainError } from '../shared/messages.js';

interface IssuedExtract {
  number: string;
  issuedAt: string;
  document: { mediaType: string; fileName: string; sizeBytes: number; sha256: string; base64: string };
}

type IssueResult = Record<string, { extract?: IssuedExtract | null } | null | undefined>;

export interface ExtractContext {
  token: string;
  purpose: string;
  taxId: string;
  partnerName(id: string): string;
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function showIssued(out: HTMLElement, extract: IssuedExtract): Promise<void> {
  const { document: doc } = extract;
  const bytes = bytesOf(doc.base64);
  const computed = await sha256Hex(bytes);
  const matches = computed === doc.sha256.toLowerCase() && bytes.length === doc.sizeBytes;
  const link = h('a', { href: URL.createObjectURL(new Blob([bytes], { type: doc.mediaType })), download: doc.fileName, class: 'download' },
    `Завантажити витяг (${doc.fileName}, ${Math.max(1, Math.round(doc.sizeBytes / 1024))} КБ)`);
  out.replaceChildren(
    h('p', {}, `Витяг № ${extract.number} від ${formatDateTime(extract.issuedAt)}`),
    h('p', {}, link),
    h('p', { class: 'hash' }, 'SHA-256: ', h('code', {}, doc.sha256)),
    h('p', { class: matches ? 'verdict verdict-ok' : 'verdict verdict-bad' },
      matches ? '✓ Перевірено в браузері: хеш збігається з документом.' : '✗ Увага: хеш НЕ збігається з документом. Не передавайте цей файл.'),
  );
  link.focus();
}

/** The button and the place its result appears, for one item of a registry domain. */
export function extractControl(extract: NonNullable<RegistryDomain['extract']>, subject: string, context: () => ExtractContext): HTMLElement {
  const out = h('div', { class: 'extract-result', role: 'status', 'aria-live': 'polite' });
  const issue = button('Отримати витяг', () => void run(), { class: 'extract-button' });
  async function run(): Promise<void> {
    const { token, purpose, taxId, partnerName } = context();
    issue.disabled = true;
    out.replaceChildren(h('p', {}, 'Витяг формується…'));
    try {
      const operation = extract.operation as Operation<IssueResult, Record<string, string>>;
      const answer = await request(operation, { taxId, [extract.subject]: subject, purpose }, { token, purpose });
      const issued = answer.data?.[extract.mutationField]?.extract;
      if (issued) await showIssued(out, issued);
      else out.replaceChildren(h('p', { class: 'problem' }, answer.errors[0] ? explainError(answer.errors[0], partnerName) : 'Витяг не видано.'));
    } catch (error) {
      out.replaceChildren(h('p', { class: 'problem' }, (error as Error).message));
    } finally {
      issue.disabled = false;
    }
  }
  return h('div', { class: 'extract' }, issue, out);
}
