/** The staff console: the start page (sign-in), then the look-up for a signed-in member of staff. */
import { ConsoleCitizenDocument } from '../generated/graphql.js';
import { currentSession, signIn, signInError, signOut, type Session } from '../shared/auth.js';
import { request } from '../shared/api.js';
import { button, h } from '../shared/dom.js';
import { checkTaxId } from '../shared/tax-id.js';
import { citizenView } from './citizen-view.js';
import { createStatusStrip } from './status-strip.js';

const app = document.getElementById('app')!;
const who = document.getElementById('who')!;

function showStart(): void {
  const heading = h('h1', {}, 'Консоль працівника ЦНАП');
  const hint = h('p', {}, 'Увійдіть, щоб переглянути дані громадянина.');
  app.replaceChildren(heading, hint, button('Увійти', () => void signIn('console')));
  const error = signInError('console');
  if (error) app.append(h('p', { class: 'error', role: 'alert' }, error));
}

/** A purpose as the gateway accepts it (identity/text.ts): 2 to 100 characters. */
function checkTicket(text: string): string | null {
  const value = text.trim();
  if (value.length < 2) return 'Введіть номер талону (щонайменше 2 символи): без нього дані не надаються.';
  if (value.length > 100) return 'Номер талону задовгий: не більше 100 символів.';
  return null;
}

function field(id: string, label: string, hint: string, attributes: Record<string, string>) {
  const input = h('input', { id, name: id, type: 'text', autocomplete: 'off', 'aria-describedby': `${id}-hint ${id}-message`, ...attributes });
  const message = h('p', { id: `${id}-message`, class: 'field-message', 'aria-live': 'polite' });
  const wrapper = h('div', { class: 'field' }, h('label', { for: id }, label), input, h('p', { id: `${id}-hint`, class: 'hint' }, hint), message);
  const show = (text: string | null) => {
    message.textContent = text ?? '';
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  return { wrapper, input, show };
}

function showSignedIn(session: Session): void {
  who.replaceChildren(h('span', {}, session.name), ' ', button('Вийти', () => void signOut('console')));
  const strip = createStatusStrip(() => session.accessToken);
  const ticket = field('ticket', 'Номер талону', 'Мета звернення, наприклад «А-017»: записується в журнал доступу.', {});
  const taxId = field('tax-id', 'РНОКПП', '10 цифр; перевіряється під час введення.', { inputmode: 'numeric', maxlength: '12' });
  const submit = h('button', { type: 'submit' }, 'Знайти');
  const form = h('form', { class: 'lookup no-print', role: 'search', 'aria-label': 'Пошук громадянина', novalidate: true },
    ticket.wrapper, taxId.wrapper, h('div', { class: 'actions' }, submit));
  const result = h('div', { id: 'result' });

  // Checked as it is typed: quiet while a valid number could still come, precise once it cannot.
  taxId.input.addEventListener('input', () => {
    const check = checkTaxId(taxId.input.value);
    taxId.show(check.ok || !check.complete ? null : check.message);
  });
  ticket.input.addEventListener('input', () => ticket.show(null));

  let lookups = 0;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ticketProblem = checkTicket(ticket.input.value);
    const check = checkTaxId(taxId.input.value);
    ticket.show(ticketProblem);
    taxId.show(check.ok ? null : check.message);
    if (ticketProblem) return ticket.input.focus();
    if (!check.ok) return taxId.input.focus();
    void lookUp(ticket.input.value.trim(), taxId.input.value.trim(), ++lookups);
  });

  async function lookUp(purpose: string, id: string, lookup: number): Promise<void> {
    submit.disabled = true;
    result.setAttribute('aria-busy', 'true');
    result.replaceChildren(h('p', { role: 'status' }, 'Запит до партнерів…'));
    try {
      const [answer] = await Promise.all([
        request(ConsoleCitizenDocument, { taxId: id }, { token: session.accessToken, purpose }),
        partnersKnown,
      ]);
      if (lookup !== lookups) return;
      // The look-up has just asked every partner: the strip shows what it learnt.
      void strip.refresh();
      result.replaceChildren(citizenView(answer, {
        ticket: purpose,
        partnerName: strip.partnerName,
        extract: () => ({ token: session.accessToken, purpose, taxId: id, partnerName: strip.partnerName }),
      }));
    } catch (error) {
      result.replaceChildren(h('h2', { id: 'citizen-heading', tabindex: -1 }, 'Дані не отримано'), h('p', { class: 'problem' }, (error as Error).message));
    } finally {
      submit.disabled = false;
      result.removeAttribute('aria-busy');
    }
    document.getElementById('citizen-heading')?.focus();
  }

  app.replaceChildren(h('h1', {}, 'Пошук громадянина'), form, strip.element, result);
  // The partners' names, which error messages need, come with the strip's first answer.
  const partnersKnown = strip.refresh();
  ticket.input.focus();
}

const session = await currentSession('console');
if (session) showSignedIn(session);
else showStart();
