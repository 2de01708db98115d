/** The staff console: the start page (sign-in), then the look-up for a signed-in member of staff. */
import { currentSession, signIn, signInError, signOut, type Session } from '../shared/auth.js';

const app = document.getElementById('app')!;
const who = document.getElementById('who')!;

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

function showStart(): void {
  const heading = document.createElement('h1');
  heading.textContent = 'Консоль працівника ЦНАП';
  const hint = document.createElement('p');
  hint.textContent = 'Увійдіть, щоб переглянути дані громадянина.';
  app.replaceChildren(heading, hint, button('Увійти', () => void signIn('console')));
  const error = signInError('console');
  if (error) app.append(Object.assign(document.createElement('p'), { className: 'error', role: 'alert', textContent: error }));
}

function showSignedIn(session: Session): void {
  const name = document.createElement('span');
  name.textContent = session.name;
  who.replaceChildren(name, ' ', button('Вийти', () => void signOut('console')));
  const heading = document.createElement('h1');
  heading.textContent = 'Пошук громадянина';
  app.replaceChildren(heading);
}

const session = await currentSession('console');
if (session) showSignedIn(session);
else showStart();
