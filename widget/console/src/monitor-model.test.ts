import { describe, expect, it } from 'vitest';
import { applyChange, applyList, beginFetch, emptyMonitor, monitorRows, noteMessage, stopMonitor } from './monitor-model.ts';
import type { ConversationState, MessageView, MonitoredConversation } from './protocol.ts';

const row = (id: string, since: string, state: ConversationState = 'with-navigator', lastMessageAt?: string): MonitoredConversation => ({
  conversation: {
    id, state, skill: 'general', priority: 0, lang: 'zh', lastSeq: 3, citizenReadSeq: 0, navigatorReadSeq: 0,
    stateSince: since, updatedAt: since,
  },
  since,
  ...(lastMessageAt ? { lastMessageAt } : {}),
});
const message = (conversationId: string, at: string): MessageView => ({ conversationId, seq: 4, sender: 'citizen', text: '你好', at });

describe('supervisor monitor model', () => {
  it('lists the longest-running first and follows starts, changes and ends', () => {
    const m = emptyMonitor();
    beginFetch(m);
    applyList(m, [row('b', '2026-01-01T10:05:00Z'), row('a', '2026-01-01T10:00:00Z', 'offered', '2026-01-01T10:01:00Z')]);
    expect(monitorRows(m).map((r) => r.conversation.id)).toEqual(['a', 'b']);
    expect(m.lastMessageAt.get('a')).toBe('2026-01-01T10:01:00Z');

    applyChange(m, { conversationId: 'a', entry: row('a', '2026-01-01T10:00:00Z', 'with-navigator') });
    applyChange(m, { conversationId: 'c', entry: row('c', '2026-01-01T09:00:00Z') });
    applyChange(m, { conversationId: 'b' });
    expect(monitorRows(m).map((r) => [r.conversation.id, r.conversation.state])).toEqual([['c', 'with-navigator'], ['a', 'with-navigator']]);
    // A change keeps the last-message time learnt before; a removal forgets it.
    expect(m.lastMessageAt.get('a')).toBe('2026-01-01T10:01:00Z');
    applyChange(m, { conversationId: 'a' });
    expect(m.lastMessageAt.has('a')).toBe(false);
  });

  it('takes the newest message time, also from a message that came before its row', () => {
    const m = emptyMonitor();
    beginFetch(m);
    applyList(m, []);
    expect(noteMessage(m, message('a', '2026-01-01T10:02:00Z'))).toBe(false);
    applyChange(m, { conversationId: 'a', entry: row('a', '2026-01-01T10:00:00Z') });
    expect(noteMessage(m, message('a', '2026-01-01T10:01:00Z'))).toBe(true);
    expect(m.lastMessageAt.get('a')).toBe('2026-01-01T10:02:00Z');
  });

  it('applies the changes that arrived during a fetch after the list, so an older list never undoes them', () => {
    const m = emptyMonitor();
    beginFetch(m);
    applyChange(m, { conversationId: 'a' });
    applyChange(m, { conversationId: 'b', entry: row('b', '2026-01-01T10:05:00Z', 'wrap-up') });
    expect(m.rows.size).toBe(0);
    applyList(m, [row('a', '2026-01-01T10:00:00Z'), row('b', '2026-01-01T10:05:00Z')]);
    expect(monitorRows(m).map((r) => [r.conversation.id, r.conversation.state])).toEqual([['b', 'wrap-up']]);
    expect(m.ready).toBe(true);
    m.openId = 'b';
    stopMonitor(m);
    expect([m.rows.size, m.ready, m.openId]).toEqual([0, false, 'b']);
  });
});
