/**
 * The supervisors' monitor as data: one row per conversation with a navigator, kept current by the service's
 * `monitor:conversation` changes, and the newest message time per conversation from the `message`s that come with
 * them. Changes that arrive while the list is being fetched are applied after it, so an older list never undoes a
 * newer change.
 */
import type { MessageView, MonitorChange, MonitoredConversation } from './protocol.ts';

export interface MonitorState {
  rows: Map<string, MonitoredConversation>;
  /**
   * Newest message time per conversation. Kept apart from the rows: a conversation's first message with a navigator
   * (the "joined" notice) arrives before the change that adds its row.
   */
  lastMessageAt: Map<string, string>;
  /** The conversation whose transcript is shown, read-only. */
  openId?: string;
  /** A `monitor:list` is in flight: changes wait in `held`. */
  fetching: boolean;
  held: MonitorChange[];
  /** The list has arrived since the monitor was opened. */
  ready: boolean;
}

export function emptyMonitor(): MonitorState {
  return { rows: new Map(), lastMessageAt: new Map(), fetching: false, held: [], ready: false };
}

export function beginFetch(m: MonitorState): void {
  m.fetching = true;
  m.held = [];
}

export function applyList(m: MonitorState, list: readonly MonitoredConversation[]): void {
  m.rows = new Map(list.map((r) => [r.conversation.id, r]));
  for (const r of list) if (r.lastMessageAt) noteTime(m, r.conversation.id, r.lastMessageAt);
  m.fetching = false;
  m.ready = true;
  const held = m.held;
  m.held = [];
  for (const change of held) applyChange(m, change);
}

/** The monitor stopped (another view, or signed out): nothing is kept but the open conversation's id. */
export function stopMonitor(m: MonitorState): void {
  m.rows.clear();
  m.lastMessageAt.clear();
  m.fetching = false;
  m.held = [];
  m.ready = false;
}

export function applyChange(m: MonitorState, change: MonitorChange): void {
  if (m.fetching) {
    m.held.push(change);
    return;
  }
  if (change.entry) {
    m.rows.set(change.conversationId, change.entry);
  } else {
    m.rows.delete(change.conversationId);
    m.lastMessageAt.delete(change.conversationId);
  }
}

/** A message of some conversation arrived: true when it concerns a row (its last-message time moved). */
export function noteMessage(m: MonitorState, message: MessageView): boolean {
  noteTime(m, message.conversationId, message.at);
  return m.rows.has(message.conversationId);
}

function noteTime(m: MonitorState, conversationId: string, at: string): void {
  const known = m.lastMessageAt.get(conversationId);
  if (!known || at > known) m.lastMessageAt.set(conversationId, at);
}

/** The rows as the monitor lists them: the longest-running handoff first. */
export function monitorRows(m: MonitorState): MonitoredConversation[] {
  return [...m.rows.values()].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.conversation.id < b.conversation.id ? -1 : 1));
}
