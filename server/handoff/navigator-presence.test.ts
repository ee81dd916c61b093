import { describe, expect, it } from 'vitest';
import type { ConversationRecord, HandoffStore, NavigatorRecord } from '../storage/handoff-store.ts';
import { ManualClock } from './clock.ts';
import type { ClusterPort, ClusterPresence } from './cluster.ts';
import { ANYONE, TypedEmitter, type HandoffEventMap } from './events.ts';
import { NavigatorPresence } from './navigator-presence.ts';

const nav: NavigatorRecord = {
  id: 'n1', username: 'li', name: '李', passwordHash: 'secret', role: 'navigator', skills: ['general'], capacity: 2, active: true, createdAt: 0,
};

function setUp(opts: { holding?: boolean; remote?: Map<string, ClusterPresence> } = {}) {
  const clock = new ManualClock();
  const events = new TypedEmitter<HandoffEventMap>();
  const statuses: string[] = [];
  events.on('navigator-status', (id, status) => statuses.push(`${id}:${status}`));
  const withdrawn: string[] = [];
  const requeued: string[] = [];
  const shared: (Omit<ClusterPresence, 'navigator'> & { passwordHash?: string } | undefined)[] = [];
  let changes = 0;
  const store = { listConversations: async () => (opts.holding ? [{ id: 'c1' } as ConversationRecord] : []) } as unknown as HandoffStore;
  const cluster = opts.remote && ({
    remotePresence: () => opts.remote!,
    setPresence: (_id: string, p: ClusterPresence | undefined) => shared.push(p && { status: p.status, sockets: p.sockets, idleSince: p.idleSince, ...('passwordHash' in p.navigator ? { passwordHash: String(p.navigator.passwordHash) } : {}) }),
  } as unknown as ClusterPort);
  const presence = new NavigatorPresence(
    { store, kb: () => undefined, clock, events, audience: () => ANYONE, log: { error: () => {} }, ...(cluster ? { cluster } : {}), navigatorNames: new Map(), closed: () => false },
    {
      graceMs: 90_000,
      withdrawOffers: async (id) => void withdrawn.push(id),
      graceExpired: async (id) => void requeued.push(id),
      changed: () => void changes++,
    },
  );
  return { clock, presence, statuses, withdrawn, requeued, shared, changes: () => changes };
}

describe('NavigatorPresence', () => {
  it('counts several sockets once and forgets a navigator who holds nothing when the last closes', async () => {
    const t = setUp();
    t.presence.connected(nav, 'available');
    t.presence.connected(nav, 'away');
    expect(t.presence.get('n1')).toMatchObject({ sockets: 2, status: 'available' });
    await t.presence.disconnected('n1');
    expect(t.withdrawn).toEqual([]);
    await t.presence.disconnected('n1');
    expect(t.withdrawn).toEqual(['n1']);
    expect(t.presence.has('n1')).toBe(false);
    expect(t.statuses).toEqual(['n1:available', 'n1:available', 'n1:offline']);
    expect(t.changes()).toBe(3);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('keeps a navigator who holds conversations for the grace period; a reconnect calls it off', async () => {
    const t = setUp({ holding: true });
    t.presence.connected(nav, 'available');
    await t.presence.disconnected('n1');
    expect(t.clock.pendingTimers).toBe(1);
    t.clock.advance(89_999);
    t.presence.connected(nav, 'available');
    t.clock.advance(10_000);
    expect(t.requeued).toEqual([]);
    expect(t.presence.get('n1')?.sockets).toBe(1);
  });

  it('requeues when the grace period runs out, unless the navigator is online on another instance', async () => {
    const t = setUp({ holding: true });
    t.presence.connected(nav, 'available');
    await t.presence.disconnected('n1');
    t.clock.advance(90_000);
    expect(t.requeued).toEqual(['n1']);
    expect(t.presence.has('n1')).toBe(false);

    const remote = new Map<string, ClusterPresence>();
    const u = setUp({ holding: true, remote });
    u.presence.adopt(nav, 0);
    remote.set('n1', { navigator: nav, status: 'available', sockets: 1, idleSince: 0 });
    u.clock.advance(90_000);
    expect(u.requeued).toEqual([]);
  });

  it('changes status only while connected; an unanswered offer makes an available navigator away', () => {
    const t = setUp();
    expect(t.presence.setStatus('n1', 'away')).toBe('offline');
    t.presence.connected(nav, 'available');
    const start = t.clock.now();
    t.clock.advance(5000);
    expect(t.presence.setStatus('n1', 'away')).toBe('away');
    expect(t.presence.setStatus('n1', 'away')).toBe('away');
    expect(t.presence.setStatus('n1', 'available')).toBe('available');
    expect(t.presence.get('n1')?.idleSince).toBe(start + 5000);
    t.presence.markAway('n1');
    t.presence.markAway('n1');
    expect(t.statuses).toEqual(['n1:available', 'n1:away', 'n1:available', 'n1:away']);
    expect(t.changes()).toBe(3);
  });

  it('shares its presence with the other instances without the password hash', async () => {
    const t = setUp({ remote: new Map() });
    t.presence.connected(nav, 'away');
    await t.presence.disconnected('n1');
    expect(t.shared).toEqual([{ status: 'away', sockets: 1, idleSince: t.clock.now() }, undefined]);
  });
});
