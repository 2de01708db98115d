/** The citizen's reference page: how the portal team consumes the API for a signed-in citizen. */
import { currentSession, signIn, signInError, signOut } from '../shared/auth.js';

const app = document.getElementById('app')!;
const who = document.getElementById('who')!;

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

const session = await currentSession('portal');
const heading = document.createElement('h1');
if (session) {
  who.replaceChildren(session.name, ' ', button('Вийти', () => void signOut('portal')));
  heading.textContent = 'Мої рахунки, ділянки та транспорт';
  app.replaceChildren(heading);
} else {
  heading.textContent = 'Мої дані у партнерів ЦНАП';
  app.replaceChildren(heading, button('Увійти', () => void signIn('portal')));
  const error = signInError('portal');
  if (error) app.append(Object.assign(document.createElement('p'), { className: 'error', role: 'alert', textContent: error }));
}
