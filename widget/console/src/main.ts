/** The navigator console's entry: the login screen, then the console for the logged-in navigator. */
import { App } from './app.ts';
import { lang, setLang } from './i18n.ts';
import { renderLogin } from './login.ts';
import type { LoginResult } from './protocol.ts';
import { createRenderer } from './render.ts';
import { savedSession, saveSession } from './session.ts';
import { buildShell, type Shell } from './shell.ts';
import { installShortcuts } from './shortcuts.ts';

const root = document.getElementById('app')!;
setLang(lang());

function start(session: LoginResult): void {
  saveSession(session);
  let shell: Shell | undefined;
  let uninstall = () => undefined as void;
  const app = new App(session, createRenderer(() => shell!), (notice) => {
    uninstall();
    showLogin(notice);
  });
  shell = buildShell(app);
  root.replaceChildren(shell.root);
  uninstall = installShortcuts(app);
  app.invalidateAll();
  // Read receipts are sent only while the console is visible: catch up when the tab comes back.
  document.addEventListener('visibilitychange', () => app.invalidate('transcript'));
}

function showLogin(notice?: string): void {
  renderLogin(root, start, notice);
}

const saved = savedSession();
if (saved) start(saved);
else showLogin();
