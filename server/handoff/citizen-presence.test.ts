import { describe, expect, it } from 'vitest';
import { CitizenPresence } from './citizen-presence.ts';
import { ManualClock } from './clock.ts';

function setUp(waiting: Set<string>) {
  const clock = new ManualClock();
  const abandoned: string[] = [];
  const away: string[] = [];
  const errors: unknown[] = [];
  const presence = new CitizenPresence({
    clock,
    graceMs: 60_000,
    isWaiting: async (id) => waiting.has(id),
    abandon: async (id) => {
      abandoned.push(id);
    },
    onAway: (id) => away.push(id),
    log: { error: (e) => errors.push(e) },
  });
  // lets the timer's async follow-up (connectedElsewhere, isWaiting, abandon) finish
  const settle = () => presence.settled();
  return { clock, presence, abandoned, away, errors, settle };
}

/** Nothing happens until the last millisecond of the grace period; then the conversation is abandoned, without errors. */
async function expectAbandonedWhenGraceEnds(t: ReturnType<typeof setUp>, id: string): Promise<void> {
  t.clock.advance(59_999);
  await t.settle();
  expect(t.abandoned).toEqual([]);
  t.clock.advance(1);
  await t.settle();
  expect(t.abandoned).toEqual([id]);
  expect(t.errors).toEqual([]);
}

describe('CitizenPresence', () => {
  it('starts no grace period for a citizen who is not waiting for a person', async () => {
    const t = setUp(new Set());
    await t.presence.disconnected('c1', async () => false);
    expect(t.away).toEqual([]);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('abandons a waiting conversation when the grace period runs out and the citizen is connected nowhere', async () => {
    const t = setUp(new Set(['c1']));
    t.presence.connected('c1');
    await t.presence.disconnected('c1', async () => false);
    expect(t.away).toEqual(['c1']);
    await expectAbandonedWhenGraceEnds(t, 'c1');
  });

  it('calls it off when the citizen comes back, here or on another instance, or the conversation stopped waiting', async () => {
    const waiting = new Set(['here', 'elsewhere', 'served']);
    const t = setUp(waiting);
    await t.presence.disconnected('here', async () => false);
    await t.presence.disconnected('elsewhere', async () => true);
    await t.presence.disconnected('served', async () => false);
    t.presence.connected('here');
    waiting.delete('served');
    t.clock.advance(60_000);
    await t.settle();
    expect(t.abandoned).toEqual([]);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('ignores a disconnect decided after a newer connect (a fast reload)', async () => {
    const t = setUp(new Set(['c1']));
    const deciding = t.presence.disconnected('c1', async () => false);
    t.presence.connected('c1');
    await deciding;
    expect(t.clock.pendingTimers).toBe(0);
    expect(t.away).toEqual([]);
  });

  it('cancels every pending grace period on close', async () => {
    const t = setUp(new Set(['a', 'b']));
    await t.presence.disconnected('a', async () => false);
    await t.presence.disconnected('b', async () => false);
    t.presence.close();
    expect(t.clock.pendingTimers).toBe(0);
  });

  describe('after a restart (adopt)', () => {
    it('gives a waiting citizen connected nowhere the grace period, then abandons', async () => {
      const t = setUp(new Set(['c1']));
      await t.presence.adopt('c1', async () => false);
      expect(t.away).toEqual(['c1']);
      await expectAbandonedWhenGraceEnds(t, 'c1');
    });

    it('leaves alone a citizen connected on some instance, and one no longer waiting', async () => {
      const t = setUp(new Set(['connected']));
      await t.presence.adopt('connected', async () => true);
      await t.presence.adopt('served', async () => false);
      expect(t.away).toEqual([]);
      expect(t.clock.pendingTimers).toBe(0);
    });

    it('calls it off when the citizen connects here or elsewhere within the grace period', async () => {
      const t = setUp(new Set(['here', 'elsewhere']));
      let elsewhere = false;
      await t.presence.adopt('here', async () => false);
      await t.presence.adopt('elsewhere', async () => elsewhere);
      expect(t.away).toEqual(['here', 'elsewhere']);
      t.clock.advance(30_000);
      t.presence.connected('here');
      elsewhere = true;
      t.clock.advance(30_000);
      await t.settle();
      expect(t.abandoned).toEqual([]);
      expect(t.clock.pendingTimers).toBe(0);
    });

    it('starts the grace period when the instances cannot be asked now, and asks again when it ends', async () => {
      const t = setUp(new Set(['c1']));
      let asked = 0;
      await t.presence.adopt('c1', async () => {
        if (asked++ === 0) throw new Error('Redis is away');
        return false;
      });
      expect(t.away).toEqual(['c1']);
      t.clock.advance(60_000);
      await t.settle();
      expect(asked).toBe(2);
      expect(t.abandoned).toEqual(['c1']);
    });

    it('ignores an adoption decided after the citizen connected', async () => {
      const t = setUp(new Set(['c1']));
      const deciding = t.presence.adopt('c1', async () => false);
      t.presence.connected('c1');
      await deciding;
      expect(t.clock.pendingTimers).toBe(0);
      expect(t.away).toEqual([]);
    });
  });

  describe('at every cluster sweep (adopt again)', () => {
    it('leaves a running grace period running: no restart, no second one', async () => {
      const t = setUp(new Set(['c1']));
      await t.presence.adopt('c1', async () => false);
      t.clock.advance(30_000);
      await t.presence.adopt('c1', async () => false);
      t.clock.advance(29_999);
      await t.presence.adopt('c1', async () => false);
      expect(t.away).toEqual(['c1']);
      expect(t.clock.pendingTimers).toBe(1);
      t.clock.advance(1);
      await t.settle();
      expect(t.abandoned).toEqual(['c1']);
    });

    it('ends a running grace period when the citizen is found connected on another instance', async () => {
      const t = setUp(new Set(['c1']));
      await t.presence.disconnected('c1', async () => false);
      await t.presence.adopt('c1', async () => true);
      expect(t.clock.pendingTimers).toBe(0);
      // Gone again later: a whole grace period from the next adoption.
      t.clock.advance(30_000);
      await t.presence.adopt('c1', async () => false);
      expect(t.away).toEqual(['c1', 'c1']);
      await expectAbandonedWhenGraceEnds(t, 'c1');
    });

    it('adds nothing while a grace period that ran out is being acted on', async () => {
      const t = setUp(new Set(['c1']));
      let answer!: (connected: boolean) => void;
      let asked = 0;
      await t.presence.adopt('c1', () => (asked++ === 0 ? Promise.resolve(false) : new Promise((resolve) => (answer = resolve))));
      t.clock.advance(60_000);
      await t.presence.adopt('c1', async () => false);
      expect(t.away).toEqual(['c1']);
      expect(t.clock.pendingTimers).toBe(0);
      answer(false);
      await t.settle();
      expect(t.abandoned).toEqual(['c1']);
    });
  });
});
