/**
 * The supervisors' monitor (Alt+Shift+4): every conversation with a navigator (who serves it, the citizen's item and
 * skill, how long the handoff has been going, when the last message came), kept live, and one of them watched: its
 * whole transcript, read-only, following new messages. Nothing here answers, claims or marks anything read; the one
 * action is the transfer dialog supervisors already have.
 * Keyboard: ↑/↓ (Home/End) move between the rows, Enter watches one and focus goes to its transcript, Escape stops
 * watching and focus goes back to its row.
 */
import type { App } from './app.ts';
import { openTransfer } from './dialogs.ts';
import { h, renderInto } from './dom.ts';
import { clockTime, duration, shortId, skillLabel, stateLabel } from './format.ts';
import { lang, t } from './i18n.ts';
import { monitorRows } from './monitor-model.ts';
import type { ConversationSummary, MonitoredConversation } from './protocol.ts';
import { transcriptNodes } from './render.ts';
import type { Shell } from './shell.ts';

const rowKey = (id: string) => `monitor-row-${id}`;
const LONG_MS = 15 * 60_000;

/** Set by focusMonitor while the list is loading: its first row takes the focus once it is there. */
let focusFirstRow = false;

export function renderMonitor(app: App, s: Shell): void {
  s.monitorView.querySelector('#monitor-title')!.textContent = t('monitor.title');
  s.monitorView.querySelector('#monitor-hint')!.textContent = t('monitor.hint');
  renderList(app, s);
  renderWatched(app, s);
}

/** Entering the view from the keyboard: focus on the first row, or on the title while there is none. */
export function focusMonitor(): void {
  focusFirstRow = true;
  requestAnimationFrame(() => {
    const first = document.querySelector<HTMLElement>('#monitor-list [data-key^="monitor-row-"]');
    if (first) {
      focusFirstRow = false;
      first.focus();
    } else {
      document.getElementById('monitor-title')?.focus();
    }
  });
}

function title(c: ConversationSummary): string {
  return c.itemTitle ?? `${t('conv.citizen')} #${shortId(c.id)}`;
}

function renderList(app: App, s: Shell): void {
  const m = app.state.monitor;
  if (!m.ready) {
    renderInto(s.monitorList, h('p', { class: 'muted', role: 'status' }, t('monitor.loading')));
    return;
  }
  const rows = monitorRows(m);
  renderInto(s.monitorList, rows.length === 0 ? h('p', { class: 'empty', role: 'status' }, t('monitor.empty')) : h('table', { class: 'grid monitor-table', id: 'monitor-table', 'aria-label': t('monitor.listLabel') },
    h('thead', {}, h('tr', {},
      [t('monitor.item'), t('monitor.navigator'), t('packet.skill'), t('monitor.state'), t('monitor.duration'), t('monitor.lastMessage')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => rowNode(app, r)))));
  // Only while the focus still waits on the title: never pull it away from where the supervisor moved it.
  const waiting = document.activeElement === document.getElementById('monitor-title') || document.activeElement === document.body;
  if (focusFirstRow && rows.length && waiting) {
    focusFirstRow = false;
    s.monitorList.querySelector<HTMLElement>('[data-key^="monitor-row-"]')?.focus();
  }
}

function rowNode(app: App, r: MonitoredConversation): HTMLElement {
  const c = r.conversation;
  const m = app.state.monitor;
  const watched = m.openId === c.id;
  const going = app.now() - Date.parse(r.since);
  const last = m.lastMessageAt.get(c.id);
  const who = c.state === 'offered'
    ? t('monitor.offeredTo', { name: app.state.navigators.find((n) => n.id === c.offeredTo)?.name ?? '' })
    : c.navigatorName ?? '—';
  return h('tr', { class: watched ? 'selected' : '', 'data-conversation': c.id },
    h('th', { scope: 'row' },
      h('button', {
        type: 'button', class: 'row-link', 'data-key': rowKey(c.id), 'aria-label': t('monitor.openLabel', { title: title(c) }),
        'aria-current': watched ? 'true' : undefined, onclick: () => watch(app, c.id), onkeydown: moveBetweenRows,
      }, title(c), h('span', { class: 'muted small' }, ` #${shortId(c.id)}`))),
    h('td', {}, who),
    h('td', {}, skillLabel(c.skill)),
    h('td', { class: 'nowrap' }, h('span', { class: `state-dot ${c.state}`, 'aria-hidden': 'true' }), stateLabel(c.state)),
    h('td', { class: `nowrap ${going > LONG_MS ? 'late' : ''}` }, duration(going)),
    h('td', { class: 'nowrap' }, last ? h('time', { datetime: last }, clockTime(last)) : '—'));
}

function moveBetweenRows(e: Event): void {
  const key = (e as KeyboardEvent).key;
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(key)) return;
  const buttons = [...document.querySelectorAll<HTMLElement>('#monitor-list [data-key^="monitor-row-"]')];
  const i = buttons.indexOf(e.currentTarget as HTMLElement);
  const next = key === 'Home' ? 0 : key === 'End' ? buttons.length - 1 : Math.min(buttons.length - 1, Math.max(0, i + (key === 'ArrowDown' ? 1 : -1)));
  e.preventDefault();
  buttons[next]?.focus();
}

function watch(app: App, id: string): void {
  void app.watch(id);
  document.getElementById('monitor-transcript')?.focus();
}

function stopWatching(app: App): void {
  const id = app.state.monitor.openId;
  app.unwatch();
  requestAnimationFrame(() => {
    const row = id ? document.querySelector<HTMLElement>(`[data-key="${CSS.escape(rowKey(id))}"]`) : null;
    (row ?? document.getElementById('monitor-title'))?.focus();
  });
}

function renderWatched(app: App, s: Shell): void {
  const pane = s.monitorTranscript.parentElement!;
  if (!pane.dataset.wired) {
    pane.dataset.wired = 'true';
    pane.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !app.state.monitor.openId) return;
      e.preventDefault();
      stopWatching(app);
    });
  }
  pane.setAttribute('aria-label', t('monitor.transcript'));
  s.monitorTranscript.setAttribute('aria-label', t('monitor.transcript'));
  const m = app.state.monitor;
  const c = m.openId ? app.state.conversations.get(m.openId) : undefined;
  if (!m.openId || !c?.loaded) {
    s.monitorHeader.hidden = true;
    renderInto(s.monitorHeader);
    const text = m.openId ? t('monitor.loading') : t('monitor.choose');
    if (s.monitorTranscript.dataset.signature !== text) {
      renderInto(s.monitorTranscript, h('div', { class: 'placeholder' }, h('p', {}, text)));
      s.monitorTranscript.dataset.signature = text;
    }
    return;
  }

  const sum = c.summary;
  const row = m.rows.get(sum.id);
  s.monitorHeader.hidden = false;
  renderInto(s.monitorHeader,
    h('div', { class: 'conv-title' },
      h('h2', { id: 'monitor-conv-title' }, title(sum), ' ', h('span', { class: 'conv-id muted' }, `#${shortId(sum.id)}`)),
      h('div', { class: 'conv-meta' },
        h('span', { class: 'pill read-only' }, t('monitor.readOnly')),
        h('span', { class: `pill state ${sum.state}` }, stateLabel(sum.state)),
        h('span', { class: 'pill' }, skillLabel(sum.skill)),
        sum.navigatorName ? h('span', { class: 'muted small' }, t('monitor.servedBy', { name: sum.navigatorName })) : null,
        row ? h('span', { class: 'muted small' }, t('monitor.since', { d: duration(app.now() - Date.parse(row.since)) })) : null)),
    h('div', { class: 'conv-actions' },
      sum.state === 'with-navigator'
        ? h('button', { type: 'button', class: 'btn', 'data-key': 'monitor-transfer', title: t('monitor.transferHint'), onclick: () => openTransfer(app, sum.id) }, t('action.transfer'))
        : null,
      h('button', { type: 'button', class: 'btn', 'data-key': 'monitor-close', 'aria-keyshortcuts': 'Escape', onclick: () => stopWatching(app) }, t('monitor.close'))),
    m.ready && !row ? h('p', { class: 'notice', role: 'status' }, t('monitor.left', { state: stateLabel(sum.state) })) : null);

  // The transcript is rebuilt only when something in it changed, staying at the bottom if it was there.
  const el = s.monitorTranscript;
  const signature = [sum.id, c.messages.size, sum.lastSeq, c.notes.size, sum.citizenReadSeq, lang()].join('|');
  if (el.dataset.signature === signature) return;
  const switched = el.dataset.conversation !== sum.id;
  const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  el.replaceChildren(...transcriptNodes(app, c));
  if (atBottom || switched) el.scrollTop = el.scrollHeight;
  el.dataset.signature = signature;
  el.dataset.conversation = sum.id;
}
