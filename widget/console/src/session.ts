/** The login session kept across reloads of the console (the bearer token and who it belongs to). */
import type { LoginResult } from './protocol.ts';

const KEY = 'daoban.console.session';

export function savedSession(): LoginResult | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as LoginResult;
    if (typeof s.token !== 'string' || Date.parse(s.expiresAt) <= Date.now()) {
      localStorage.removeItem(KEY);
      return undefined;
    }
    return s;
  } catch {
    return undefined;
  }
}

export function saveSession(s: LoginResult): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // not remembered: a reload asks to log in again
  }
}

export function clearSession(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
