/**
 * The demo OpenID provider's pages, in Ukrainian: the sign-in form («Логін», «Пароль», «Увійти»),
 * the sign-out step and short messages. Self-contained (no outside asset), labels bound to their
 * inputs, an error announced as an alert and tied to the fields it is about.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f3f4f6}
main{max-width:24rem;margin:10vh auto;padding:2rem;background:#fff;border:1px solid #c8ccd2;border-radius:8px}
h1{font-size:1.4rem;margin:0 0 .5rem}
.note{color:#4a4f57;font-size:.9rem;margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;padding:.55rem .6rem;font:inherit;border:1px solid #6b7280;border-radius:4px}
input:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:2px}
button{margin-top:1.25rem;width:100%;padding:.6rem;font:inherit;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:4px;cursor:pointer}
button:hover{background:#1e40af}
.error{margin:0 0 1rem;padding:.6rem .75rem;color:#8a1111;background:#fdecec;border:1px solid #b42318;border-radius:4px}
`;

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} — Вікно</title>
<style>${STYLE}</style>${head}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface LoginPageOptions {
  uid: string;
  /** What was typed as the login, kept after a failed attempt (never the password). */
  login?: string;
  error?: string;
}

export function loginPage({ uid, login = '', error }: LoginPageOptions): string {
  const described = error ? ' aria-describedby="error" aria-invalid="true"' : '';
  return page('Вхід', `<h1>Вхід до Вікна</h1>
<p class="note">Демонстраційний постачальник входу: у справжньому ЦНАП тут вхід центру.</p>
${error ? `<p id="error" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oidc/interaction/${encodeURIComponent(uid)}/login">
<label for="login">Логін</label>
<input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(login)}"${described}${login ? '' : ' autofocus'}>
<label for="password">Пароль</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}${login ? ' autofocus' : ''}>
<button type="submit">Увійти</button>
</form>`);
}

/** RP-initiated logout: the provider's form (with its CSRF token) is sent at once; a button if scripts are off. */
export function logoutPage(form: string, nonce: string): string {
  return page('Вихід', `<h1>Вихід з Вікна</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Вийти</button>`,
  `\n<script nonce="${nonce}">addEventListener('DOMContentLoaded',()=>document.querySelector('button[name=logout]').click())</script>`);
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${text}</p>`);
}
