/**
 * The behaviour every storage backend owes the service, as one vitest suite parameterised by a backend
 * factory: the SQLite run is in the default test run (sqlite-stores.test.ts), the PostgreSQL run in
 * `npm run test:scale` (postgres/postgres-stores.scale.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../assistant/session-store.ts';
import type { NewChecklistSnapshot } from '../guides/types.ts';
import { isChecklistId, type ChecklistStore } from './checklist-store.ts';
import type { FeedbackStore } from './feedback-store.ts';
import type { HandoffStore, NavigatorRecord } from './handoff-store.ts';

export interface StoreSet {
  handoff: HandoffStore;
  checklists: ChecklistStore;
  feedback: FeedbackStore;
  /** Dialogue sessions; `now` drives their TTL. */
  sessions: SessionStore;
  close(): Promise<void>;
}

export interface StoreBackend {
  /**
   * Opens the stores over one database. Every call on the same backend reaches the same data (reopening
   * after close() shows what was committed); `sessionClock` is the clock of the session store's TTL.
   */
  open(sessionClock?: { now: () => number; ttlMs: number }): Promise<StoreSet>;
  /** Drops the database (schema, directory) the backend created. */
  dispose(): Promise<void>;
}

const conv = (id: string, createdAt = 1) => ({ id, sessionId: `s-${id}`, lang: 'zh' as const, skill: 'general', createdAt });

const navigator = (id: string, over: Partial<NavigatorRecord> = {}): NavigatorRecord => ({
  id, username: `user-${id}`, name: `导办员${id}`, passwordHash: 'scrypt$x', role: 'navigator', skills: ['public-security'],
  capacity: 3, active: true, createdAt: 1, ...over,
});

const checklist = (lang: 'zh' | 'en') => ({
  lang,
  item: { id: 'permit', title: { text: '居住证' }, summary: { text: '……' }, updatedAt: '2026-09-15', sourceUrl: 'https://example.gov.cn/x' },
  answers: [], materials: [], eligibility: [], process: [], locations: [], online: { level: '全程网办' },
  timeLimit: { text: '即办。' }, fees: { text: '不收费。' }, legalBasis: [], citation: '依据：……',
});
const snapshot: NewChecklistSnapshot = {
  itemId: 'permit', itemUpdatedAt: '2026-09-15', kbHash: 'abc', answers: { 'by-proxy': 'proxy' }, lang: 'zh',
  checklists: { zh: checklist('zh'), en: checklist('en') },
};

export function describeStoreContract(name: string, makeBackend: () => Promise<StoreBackend>): void {
  describe(`${name} stores (contract)`, () => {
    let backend: StoreBackend;
    let set: StoreSet;
    // Each test uses its own ids; one database per suite keeps the PostgreSQL run quick.
    let n = 0;
    const id = (p: string) => `${p}${++n}`;

    beforeAll(async () => {
      backend = await makeBackend();
      set = await backend.open();
    });
    afterAll(async () => {
      await set?.close();
      await backend?.dispose();
    });

    describe('handoff store', () => {
      it('numbers messages per conversation and stores a repeated clientId once', async () => {
        const s = set.handoff;
        const [c1, c2] = [id('c'), id('c')];
        await s.createConversation(conv(c1));
        await s.createConversation(conv(c2));
        const a = await s.appendMessage({ conversationId: c1, sender: 'citizen', clientId: 'x', text: '你好', createdAt: 2 });
        const b = await s.appendMessage({ conversationId: c1, sender: 'citizen', clientId: 'x', text: '你好', createdAt: 3 });
        const c = await s.appendMessage({ conversationId: c1, sender: 'bot', text: '您好', replyTo: 1, data: { bot: { confidence: 0.9 } }, createdAt: 4 });
        const d = await s.appendMessage({ conversationId: c2, sender: 'citizen', clientId: 'x', text: '在吗', createdAt: 5 });
        expect([a.message.seq, b.message.seq, c.message.seq, d.message.seq]).toEqual([1, 1, 2, 1]);
        expect([a.duplicate, b.duplicate]).toEqual([false, true]);
        expect((await s.listMessages(c1)).map((m) => m.text)).toEqual(['你好', '您好']);
        expect((await s.listMessages(c1, 1)).map((m) => m.seq)).toEqual([2]);
        expect(await s.findReply(c1, 1)).toMatchObject({ seq: 2, data: { bot: { confidence: 0.9 } } });
        expect((await s.getConversation(c1))?.lastSeq).toBe(2);
        await expect(s.appendMessage({ conversationId: 'nope', sender: 'citizen', text: 'x', createdAt: 1 })).rejects.toThrow();
      });

      it('keeps seq gap-free and a clientId single under concurrent appends', async () => {
        const s = set.handoff;
        const c = id('c');
        await s.createConversation(conv(c));
        const sends = Array.from({ length: 40 }, (_, i) => s.appendMessage({ conversationId: c, sender: 'citizen', clientId: `k${i % 20}`, text: `m${i % 20}`, createdAt: 2 + i }));
        const results = await Promise.all(sends);
        expect(results.filter((r) => !r.duplicate)).toHaveLength(20);
        const stored = await s.listMessages(c);
        expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(new Set(stored.map((m) => m.clientId)).size).toBe(20);
        expect((await s.getConversation(c))?.lastSeq).toBe(20);
      });

      it('transitions are compare-and-set and append one event each', async () => {
        const s = set.handoff;
        const c = id('c');
        const created = await s.createConversation(conv(c));
        const queued = await s.transition(c, created.version, { to: 'queued', patch: { queueRank: 10, queuedAt: 10, packet: { reason: 'user-request', confidence: 0.2, summary: '居住证', situation: {}, requestedAt: 10 } }, actor: 'bot', reason: 'user-request', at: 10 });
        expect(queued).toMatchObject({ state: 'queued', queueRank: 10, queuedAt: 10, stateSince: 10, packet: { summary: '居住证' } });
        const results = await Promise.all(['n1', 'n2', 'n3', 'n4', 'n5'].map((nav) =>
          s.transition(c, queued!.version, { to: 'with-navigator', patch: { navigatorId: nav }, actor: `navigator:${nav}`, reason: 'accepted', at: 11 })));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.find(Boolean)!;
        expect((await s.getConversation(c))?.navigatorId).toBe(winner.navigatorId);
        const events = await s.listEvents(c);
        expect(events.map((e) => `${e.from}->${e.to}`)).toEqual(['bot->queued', 'queued->with-navigator']);
        expect(events[1]?.actor).toBe(`navigator:${winner.navigatorId}`);
        expect(await s.transition('missing', 0, { to: 'queued', actor: 'x', reason: 'x', at: 1 })).toBeUndefined();
      });

      it('finds conversations by session, state and navigator, and keeps facts learnt on the way', async () => {
        const s = set.handoff;
        const [a, b] = [id('c'), id('c')];
        const ca = await s.createConversation(conv(a, 100));
        await s.createConversation(conv(b, 101));
        await s.transition(a, ca.version, { to: 'with-navigator', patch: { navigatorId: 'nav-x' }, actor: 'navigator:nav-x', reason: 'accepted', at: 102 });
        await s.updateConversation(b, { lang: 'en', itemId: 'permit' }, 103);
        expect((await s.getConversationBySession(`s-${b}`))).toMatchObject({ id: b, lang: 'en', itemId: 'permit', updatedAt: 103 });
        expect((await s.listConversations({ states: ['with-navigator'], navigatorId: 'nav-x' })).map((c) => c.id)).toEqual([a]);
        expect(await s.listConversations({ states: [] })).toEqual([]);
      });

      it('lists conversations as they are after every kind of write, however often the same listing is read', async () => {
        const s = set.handoff;
        const nav = id('nav');
        const ids = [id('c'), id('c'), id('c')];
        const active = ['queued', 'offered', 'with-navigator', 'wrap-up'] as const;
        const listed = async () => (await s.listConversations({ states: active })).filter((c) => ids.includes(c.id));
        const expectListingsTrue = async () => {
          const now = (await Promise.all(ids.map((c) => s.getConversation(c)))).filter((c) => c !== undefined);
          expect(await listed()).toEqual(now.filter((c) => (active as readonly string[]).includes(c.state)));
          expect(await s.listConversations({ states: ['with-navigator'], navigatorId: nav })).toEqual(now.filter((c) => c.state === 'with-navigator'));
        };
        const [a, b, c] = await Promise.all(ids.map((cid, i) => s.createConversation(conv(cid, 200 + i))));
        await expectListingsTrue();
        await s.transition(b!.id, b!.version, { to: 'queued', patch: { queueRank: 2, queuedAt: 210 }, actor: 'bot', reason: 'user-request', at: 210 });
        await expectListingsTrue();
        let a2 = await s.transition(a!.id, a!.version, { to: 'queued', patch: { queueRank: 1, queuedAt: 211 }, actor: 'bot', reason: 'user-request', at: 211 });
        await expectListingsTrue();
        expect((await listed()).map((x) => x.id)).toEqual([a!.id, b!.id]);
        await s.appendMessage({ conversationId: a!.id, sender: 'citizen', text: '还要等多久', createdAt: 212 });
        await s.markRead(a!.id, 'citizen', 1);
        await s.updateConversation(a!.id, { itemId: 'permit' }, 213);
        await s.markCitizenSocket(a!.id, 214);
        await s.appendMessage({ conversationId: c!.id, sender: 'citizen', text: '你好', createdAt: 215 });
        await expectListingsTrue();
        expect((await listed())[0]).toMatchObject({ lastSeq: 1, citizenReadSeq: 1, itemId: 'permit', citizenSocketAt: 214 });
        a2 = await s.transition(a!.id, a2!.version, { to: 'with-navigator', patch: { navigatorId: nav }, actor: `navigator:${nav}`, reason: 'accepted', at: 216 });
        await expectListingsTrue();
        await s.transition(a!.id, a2!.version, { to: 'resolved', actor: `navigator:${nav}`, reason: 'wrap-up-done', at: 217 });
        await expectListingsTrue();
        expect((await listed()).map((x) => x.id)).toEqual([b!.id]);
      });

      it('keeps read marks monotonic and within the transcript', async () => {
        const s = set.handoff;
        const c = id('c');
        await s.createConversation(conv(c));
        for (let i = 0; i < 3; i++) await s.appendMessage({ conversationId: c, sender: 'citizen', text: `m${i}`, createdAt: 2 });
        expect(await s.markRead(c, 'navigator', 2)).toBe(2);
        expect(await s.markRead(c, 'navigator', 1)).toBe(2);
        expect(await s.markRead(c, 'navigator', 99)).toBe(3);
        expect(await s.markRead(c, 'citizen', 1)).toBe(1);
      });

      it('records when a citizen socket first joined, without touching the conversation otherwise', async () => {
        const s = set.handoff;
        const [http, socket] = [id('c'), id('c')];
        const created = await s.createConversation(conv(http, 100));
        expect(created.citizenSocketAt).toBeNull();
        expect((await s.createConversation({ ...conv(socket, 100), citizenSocketAt: 100 })).citizenSocketAt).toBe(100);
        await s.markCitizenSocket(http, 105);
        await s.markCitizenSocket(http, 109);
        await s.markCitizenSocket(socket, 109);
        expect(await s.getConversation(http)).toEqual({ ...created, citizenSocketAt: 105 });
        expect((await s.getConversation(socket))?.citizenSocketAt).toBe(100);
      });

      it('stores a note once per id', async () => {
        const s = set.handoff;
        const c = id('c');
        await s.createConversation(conv(c));
        const note = { id: 'n-1', conversationId: c, navigatorId: 'nav', authorName: '王', text: '已核实', createdAt: 5 };
        expect((await s.addNote(note)).duplicate).toBe(false);
        expect(await s.addNote({ ...note, text: 'changed' })).toMatchObject({ duplicate: true, note: { text: '已核实' } });
        expect((await s.listNotes(c)).map((x) => x.text)).toEqual(['已核实']);
      });

      it('records handlings in order, their durations, and one rating each', async () => {
        const s = set.handoff;
        const c = id('c');
        await s.createConversation(conv(c));
        const skill = id('skill-');
        await s.startHandling({ id: `${c}-h1`, conversationId: c, navigatorId: 'n1', skill, acceptedAt: 1000 });
        await s.startHandling({ id: `${c}-h2`, conversationId: c, navigatorId: 'n2', skill, acceptedAt: 1000 });
        expect((await s.openHandling(c))?.id).toBe(`${c}-h2`);
        expect(await s.recentHandleTimes(10, skill)).toEqual([]);
        await s.endHandling(`${c}-h1`, { endedAt: 61_000, outcome: 'transferred' });
        expect(await s.recentHandleTimes(10, skill)).toEqual([60_000]); // each ending counts at once
        await s.endHandling(`${c}-h2`, { endedAt: 301_000, outcome: 'resolved', wrapCode: 'answered', wrapNote: '好' });
        await s.endHandling(`${c}-h2`, { endedAt: 999_000, outcome: 'again' });
        expect(await s.openHandling(c)).toBeUndefined();
        expect(await s.lastHandling(c)).toMatchObject({ id: `${c}-h2`, endedAt: 301_000, outcome: 'resolved', wrapCode: 'answered', wrapNote: '好' });
        expect(await s.recentHandleTimes(10, skill)).toEqual([300_000, 60_000]);
        const rating = { handlingId: `${c}-h2`, conversationId: c, navigatorId: 'n2', score: 'good' as const, comment: '耐心', createdAt: 302_000 };
        expect(await s.addRating(rating)).toBe(true);
        expect(await s.addRating({ ...rating, score: 'bad' })).toBe(false);
        expect(await s.getRating(`${c}-h2`)).toEqual(rating);
        expect(await s.listRatings(c)).toEqual([rating]);
      });

      it('issues sequential ticket references, even concurrently, and claims a ticket once', async () => {
        const s = set.handoff;
        const at = Date.UTC(2025, 0, 6, 14, 0) + n * 86_400_000 * 400; // a day no other test uses
        const base = { conversationId: null, name: '张三', phone: '13800000000', email: null, question: '居住证', departmentId: 'bj-psb', skill: 'public-security', summary: null, createdAt: at };
        const [t1, t2] = [id('t'), id('t')];
        const first = await s.createTicket({ ...base, id: t1 });
        const second = await s.createTicket({ ...base, id: t2 });
        expect(second.ref).toBe(first.ref.replace(/-0001$/, '-0002'));
        expect(first.ref).toMatch(/^LY\d{8}-0001$/);
        const more = await Promise.all(Array.from({ length: 8 }, () => s.createTicket({ ...base, id: id('t') })));
        expect(new Set(more.map((t) => t.ref)).size).toBe(8);
        const claims = await Promise.all(['n1', 'n2', 'n3'].map((nav) => s.claimTicket(t1, nav, at)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(claims.find(Boolean)).toMatchObject({ status: 'claimed', claimedAt: at });
        expect((await s.listTickets({ status: 'claimed', skills: ['public-security'] })).map((t) => t.id)).toContain(t1);
        expect(await s.listTickets({ skills: [] })).toEqual([]);
        expect((await s.closeTicket(t1, '已回电', at + 1))).toMatchObject({ status: 'closed', closeNote: '已回电', closedAt: at + 1 });
        expect(await s.closeTicket(t1, 'again', at + 2)).toBeUndefined();
      });

      it('keeps canned replies, navigators and their sessions', async () => {
        const s = set.handoff;
        const cid = id('canned-');
        await s.saveCanned({ id: cid, title: '问候', text: '您好，请问有什么可以帮您？', skill: null, updatedAt: 1, updatedBy: null });
        await s.saveCanned({ id: cid, title: '问候', text: '您好！', skill: 'general', updatedAt: 2, updatedBy: 'n1' });
        expect((await s.listCanned()).find((c) => c.id === cid)).toEqual({ id: cid, title: '问候', text: '您好！', skill: 'general', updatedAt: 2, updatedBy: 'n1' });
        expect(await s.deleteCanned(cid)).toBe(true);
        expect(await s.deleteCanned(cid)).toBe(false);
        const step = id('step-');
        // concurrent claims (two instances starting at once): exactly one wins, whichever runs first
        expect((await Promise.all([s.claimOnce(step, 1), s.claimOnce(step, 2)])).filter(Boolean)).toEqual([true]);
        expect(await s.claimOnce(step, 3)).toBe(false);

        const nid = id('nav-');
        await s.createNavigator(navigator(nid));
        await expect(s.createNavigator(navigator(id('nav-'), { username: `user-${nid}` }))).rejects.toThrow();
        await s.updateNavigator(nid, { skills: ['tax', 'general'], capacity: 5, active: false, role: 'supervisor' });
        expect(await s.getNavigatorByUsername(`user-${nid}`)).toEqual(navigator(nid, { skills: ['tax', 'general'], capacity: 5, active: false, role: 'supervisor' }));
        expect((await s.listNavigators()).map((x) => x.id)).toContain(nid);
        await s.createSession(`${nid}-tok`, { navigatorId: nid, createdAt: 10, expiresAt: 20 });
        await s.createSession(`${nid}-tok2`, { navigatorId: nid, createdAt: 10, expiresAt: 9_999_999_999_999 });
        expect(await s.getSession(`${nid}-tok`)).toEqual({ navigatorId: nid, createdAt: 10, expiresAt: 20 });
        expect(await s.deleteExpiredSessions(20)).toBeGreaterThanOrEqual(1);
        expect(await s.getSession(`${nid}-tok`)).toBeUndefined();
        await s.deleteSession(`${nid}-tok2`);
        expect(await s.getSession(`${nid}-tok2`)).toBeUndefined();
      });

      it('keeps what was committed across reopening the storage', async () => {
        const [c, bySocket] = [id('c'), id('c')];
        const created = await set.handoff.createConversation(conv(c));
        const createdBySocket = await set.handoff.createConversation({ ...conv(bySocket, 7), lang: 'en', citizenSocketAt: 8 });
        await set.handoff.appendMessage({ conversationId: c, sender: 'citizen', text: '重启前', createdAt: 2 });
        const saved = await set.checklists.save(snapshot);
        await set.close();
        set = await backend.open();
        // what creating answered is what the database holds
        expect(await set.handoff.getConversation(bySocket)).toEqual(createdBySocket);
        expect(await set.handoff.getConversation(c)).toEqual({ ...created, lastSeq: 1, updatedAt: 2 });
        expect((await set.handoff.listMessages(c)).map((m) => m.text)).toEqual(['重启前']);
        expect(await set.checklists.get(saved.id)).toEqual(saved);
      });
    });

    describe('checklist store', () => {
      it('issues unguessable, distinct ids and knows nothing of other ids', async () => {
        const ids = new Set<string>();
        for (let i = 0; i < 20; i++) ids.add((await set.checklists.save(snapshot)).id);
        expect(ids.size).toBe(20);
        for (const x of ids) expect(isChecklistId(x)).toBe(true);
        const one = [...ids][0]!;
        expect(await set.checklists.get(one)).toMatchObject({ ...snapshot, id: one });
        expect(await set.checklists.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
        expect(await set.checklists.get("1' OR '1'='1")).toBeUndefined();
      });
    });

    describe('feedback store', () => {
      it('keeps one vote per answer and session, replacing it when voting again', async () => {
        const f = set.feedback;
        const before = await f.totals();
        const sid = id('sess-');
        await f.save({ sessionId: sid, target: { messageSeq: 2 }, vote: 'up' }, '2026-01-01T00:00:00.000Z');
        await f.save({ sessionId: sid, target: { messageSeq: 2 }, vote: 'down', comment: '材料不全' }, '2026-01-01T00:01:00.000Z');
        await f.save({ sessionId: sid, target: { replyId: 'r-1' }, vote: 'up' }, '2026-01-01T00:02:00.000Z');
        expect(await f.forSession(sid)).toEqual([
          { sessionId: sid, target: 'seq:2', vote: 'down', comment: '材料不全', at: '2026-01-01T00:01:00.000Z' },
          { sessionId: sid, target: 'reply:r-1', vote: 'up', at: '2026-01-01T00:02:00.000Z' },
        ]);
        expect(await f.totals()).toEqual({ up: before.up + 1, down: before.down + 1 });
      });
    });

    describe('dialogue session store', () => {
      it('creates, saves, forgets idle sessions after the TTL and deletes', async () => {
        let now = 1_000_000;
        const timed = await backend.open({ now: () => now, ttlMs: 1000 });
        try {
          const s = timed.sessions;
          const a = await s.create('zh', id('dlg-'));
          await s.save({ ...a, itemId: 'permit', situation: { q1: 'o1' }, turns: 2 });
          expect(await s.get(a.id)).toMatchObject({ id: a.id, lang: 'zh', itemId: 'permit', situation: { q1: 'o1' }, turns: 2 });
          const b = await s.create('en');
          await s.delete(b.id);
          expect(await s.get(b.id)).toBeUndefined();
          now += 1001;
          expect(await s.get(a.id)).toBeUndefined();
        } finally {
          await timed.close();
        }
      });
    });
  });
}
