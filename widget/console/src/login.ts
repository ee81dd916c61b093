/** The login screen. */
import { ConsoleError, login } from './client.ts';
import { h } from './dom.ts';
import { lang, setLang, t } from './i18n.ts';
import type { LoginResult } from './protocol.ts';

export function renderLogin(root: HTMLElement, onLoggedIn: (s: LoginResult) => void, notice?: string): void {
  const error = h('p', { class: 'login-error', role: 'alert', id: 'login-error' }, notice ?? '');
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, maxlength: 40, 'aria-describedby': 'login-error' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'aria-describedby': 'login-error' });
  const submit = h('button', { type: 'submit', class: 'btn primary block' }, t('login.submit'));
  const form = h('form', {
    class: 'login-card', 'aria-labelledby': 'login-title',
    onsubmit: (e: Event) => {
      e.preventDefault();
      submit.disabled = true;
      submit.textContent = t('login.busy');
      error.textContent = '';
      login(username.value.trim(), password.value).then(onLoggedIn, (err: unknown) => {
        submit.disabled = false;
        submit.textContent = t('login.submit');
        error.textContent = err instanceof ConsoleError && err.code === 'DB_INVALID_CREDENTIALS' ? t('login.failed') : t('err.generic', { message: (err as Error).message });
        password.select();
      });
    },
  },
  h('div', { class: 'login-brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '导'), h('div', {}, h('h1', { id: 'login-title' }, t('login.title')), h('p', { class: 'muted' }, t('login.subtitle')))),
  h('label', { for: 'login-username' }, t('login.username')), username,
  h('label', { for: 'login-password' }, t('login.password')), password,
  error,
  submit,
  h('button', {
    type: 'button', class: 'btn link', lang: lang() === 'zh' ? 'en' : 'zh', 'aria-label': t('top.langLabel'),
    onclick: () => {
      setLang(lang() === 'zh' ? 'en' : 'zh');
      renderLogin(root, onLoggedIn);
    },
  }, t('top.lang')));
  root.replaceChildren(h('main', { class: 'login-page' }, form));
  username.focus();
}
