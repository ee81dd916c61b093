/** Navigator accounts and login sessions (random bearer tokens, stored only as their SHA-256, expiring). */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DaobanError } from '../errors/catalogue.ts';
import type { HandoffStore, NavigatorRecord, NavigatorRole } from '../storage/handoff-store.ts';
import type { Clock } from './clock.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export interface NewNavigator {
  username: string;
  password: string;
  name: string;
  skills: string[];
  role?: NavigatorRole;
  capacity?: number;
}

export const DEFAULT_CAPACITY = 3;
export const DEFAULT_SESSION_TTL_MS = 12 * 3600_000;
const USERNAME = /^[a-zA-Z0-9._-]{2,40}$/;
const SKILL = /^[a-z0-9][a-z0-9-]*$/;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

function validate(n: NewNavigator): void {
  if (!USERNAME.test(n.username)) throw DaobanError.create('INVALID_FIELD', 'username', 'use 2–40 letters, digits, ".", "_" or "-"');
  if (n.password.length < 8) throw DaobanError.create('INVALID_FIELD', 'password', 'must be at least 8 characters');
  if (!n.name.trim()) throw DaobanError.create('MISSING_FIELD', 'name');
  if (!n.skills.length) throw DaobanError.create('MISSING_FIELD', 'skills');
  const bad = n.skills.find((s) => !SKILL.test(s));
  if (bad) throw DaobanError.create('INVALID_FIELD', 'skills', `"${bad}" must be lowercase letters, digits and hyphens`);
  const cap = n.capacity ?? DEFAULT_CAPACITY;
  if (!Number.isInteger(cap) || cap < 1 || cap > 20) throw DaobanError.create('INVALID_FIELD', 'capacity', 'must be an integer from 1 to 20');
}

export class NavigatorAccounts {
  constructor(
    private readonly store: HandoffStore,
    private readonly clock: Clock,
    private readonly sessionTtlMs = DEFAULT_SESSION_TTL_MS,
  ) {}

  async create(n: NewNavigator): Promise<NavigatorRecord> {
    validate(n);
    if (await this.store.getNavigatorByUsername(n.username)) throw DaobanError.create('USERNAME_TAKEN', n.username);
    const record: NavigatorRecord = {
      id: `n_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      username: n.username,
      name: n.name.trim(),
      passwordHash: await hashPassword(n.password),
      role: n.role ?? 'navigator',
      skills: [...new Set(n.skills)],
      capacity: n.capacity ?? DEFAULT_CAPACITY,
      active: true,
      createdAt: this.clock.now(),
    };
    await this.store.createNavigator(record);
    return record;
  }

  async login(username: string, password: string): Promise<{ token: string; expiresAt: number; navigator: NavigatorRecord }> {
    const nav = await this.store.getNavigatorByUsername(username);
    // Verify against a throwaway hash for unknown users too, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, nav?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    if (!nav || !ok || !nav.active) throw DaobanError.create('INVALID_CREDENTIALS');
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = now + this.sessionTtlMs;
    await this.store.createSession(tokenHash(token), { navigatorId: nav.id, createdAt: now, expiresAt });
    await this.store.deleteExpiredSessions(now);
    return { token, expiresAt, navigator: nav };
  }

  /** The navigator behind a bearer token, or UNAUTHORIZED / SESSION_EXPIRED. */
  async authenticate(token: string | undefined): Promise<{ navigator: NavigatorRecord; expiresAt: number }> {
    if (!token) throw DaobanError.create('UNAUTHORIZED');
    const session = await this.store.getSession(tokenHash(token));
    if (!session) throw DaobanError.create('UNAUTHORIZED');
    if (session.expiresAt <= this.clock.now()) {
      await this.store.deleteSession(tokenHash(token));
      throw DaobanError.create('SESSION_EXPIRED');
    }
    const navigator = await this.store.getNavigator(session.navigatorId);
    if (!navigator || !navigator.active) throw DaobanError.create('UNAUTHORIZED');
    return { navigator, expiresAt: session.expiresAt };
  }

  async logout(token: string): Promise<void> {
    await this.store.deleteSession(tokenHash(token));
  }
}
