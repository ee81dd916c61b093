/** Renders each region of the console from the state. Only text nodes carry message content. */
import type { App, Renderer } from './app.ts';
import { openCannedManager, refreshCannedManager } from './canned-manager.ts';
import { openReturnToBot, openShortcuts, openTicketClose, openTransfer, openWrapUp } from './dialogs.ts';
import { h, renderInto } from './dom.ts';
import { clockTime, dateTime, duration, percent, reasonLabel, shortId, skillLabel, stateLabel } from './format.ts';
import { lang, setLang, t } from './i18n.ts';
import { renderMonitor } from './monitor-view.ts';
import { renderMarkdown } from './markdown.ts';
import type { Citation, MessageView, NoteView, QueueEntry, SkillQueue } from './protocol.ts';
import type { Shell } from './shell.ts';
import { isHeldBy, mine, sortedMessages, unread, type ConversationView, type SideTab } from './state.ts';

export function createRenderer(shell: () => Shell): Renderer {
  return {
    render(app, regions) {
      const s = shell();
      if (regions.has('top')) renderTop(app, s);
      s.conversationsView.hidden = app.state.view !== 'conversations';
      s.ticketsView.hidden = app.state.view !== 'tickets';
      s.teamView.hidden = app.state.view !== 'team';
      s.monitorView.hidden = app.state.view !== 'monitor';
      if (app.state.view === 'conversations') {
        if (regions.has('sidebar')) renderSidebar(app, s);
        if (regions.has('header')) renderHeader(app, s);
        if (regions.has('transcript')) renderTranscript(app, s);
        if (regions.has('composer')) renderComposer(app, s);
        if (regions.has('context')) renderContext(app, s);
      }
      if (regions.has('tickets') && app.state.view === 'tickets') renderTickets(app, s);
      if (regions.has('team') && app.state.view === 'team') renderTeam(app, s);
      if (regions.has('monitor') && app.state.view === 'monitor') renderMonitor(app, s);
      if (regions.has('canned')) refreshCannedManager();
    },
    toast(text, kind = 'info') {
      const s = shell();
      const box = kind === 'error' ? s.alerts : s.toasts;
      const el = h('div', { class: `toast ${kind}` }, text);
      box.appendChild(el);
      // A calm stack: the three newest at most.
      while (box.childElementCount > 3) box.firstElementChild?.remove();
      setTimeout(() => el.remove(), kind === 'error' ? 7000 : 3500);
    },
  };
}

const offerSpans = new Map<string, number>();

// -------------------------------------------------------------------------------------------------
// Top bar
// -------------------------------------------------------------------------------------------------

function renderTop(app: App, s: Shell): void {
  const st = app.state;
  const load = mine(st).length + st.offers.size;
  const navButton = (view: typeof st.view, label: string, key: string, badge?: number) =>
    h('button', {
      type: 'button', class: 'nav-tab', 'data-key': `nav-${view}`, 'aria-current': st.view === view ? 'page' : undefined,
      'aria-keyshortcuts': key, onclick: () => app.setView(view),
    }, label, badge ? h('span', { class: 'badge', 'aria-label': `(${badge})` }, String(badge)) : null);
  const status = h('select', {
    id: 'status-select', class: `status-select ${st.status}`, 'aria-label': t('top.status'), 'data-key': 'status',
    onchange: (e: Event) => void app.setStatus((e.target as HTMLSelectElement).value as 'available' | 'away'),
  },
  h('option', { value: 'available', selected: st.status === 'available' }, t('status.available')),
  h('option', { value: 'away', selected: st.status !== 'available' }, t('status.away')));
  renderInto(s.top,
    h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '导'), h('span', {}, t('appTitle'))),
    h('nav', { class: 'nav-tabs', 'aria-label': t('nav.main') },
      navButton('conversations', t('nav.conversations'), 'Alt+Shift+1', st.offers.size),
      navButton('tickets', t('nav.tickets'), 'Alt+Shift+2', st.openTickets),
      navButton('team', t('nav.team'), 'Alt+Shift+3'),
      st.me.role === 'supervisor' ? navButton('monitor', t('nav.monitor'), 'Alt+Shift+4') : null),
    h('div', { class: 'spacer' }),
    h('span', { class: `conn ${st.connection}`, role: 'status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t(`conn.${st.connection}`)),
    h('span', { class: 'load', title: t('top.load', { load, capacity: st.me.capacity }) }, t('top.load', { load, capacity: st.me.capacity })),
    status,
    h('button', { type: 'button', class: 'btn ghost', 'data-key': 'shortcuts', 'aria-keyshortcuts': 'Shift+?', onclick: () => openShortcuts(app) }, t('top.shortcuts')),
    h('button', {
      type: 'button', class: 'btn ghost', 'data-key': 'lang', lang: lang() === 'zh' ? 'en' : 'zh', 'aria-label': t('top.langLabel'),
      onclick: () => {
        setLang(lang() === 'zh' ? 'en' : 'zh');
        app.invalidateAll();
      },
    }, t('top.lang')),
    h('span', { class: 'me' }, st.me.name, h('span', { class: 'role' }, st.me.role === 'supervisor' ? t('team.supervisor') : t('team.navigator'))),
    h('button', { type: 'button', class: 'btn ghost', 'data-key': 'logout', onclick: () => app.signOut() }, t('top.logout')));
  s.banner.textContent = st.connection === 'offline' ? t('conn.offline') : '';
  s.banner.hidden = st.connection !== 'offline';
}

// -------------------------------------------------------------------------------------------------
// Sidebar: offers, my conversations, queue
// -------------------------------------------------------------------------------------------------

function renderSidebar(app: App, s: Shell): void {
  const st = app.state;
  const offers = [...st.offers.values()].sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : 1));
  s.offers.hidden = offers.length === 0;
  renderInto(s.offers,
    h('h2', { id: 'offers-title', class: 'section-title' }, t('offers.title'), h('span', { class: 'count' }, String(offers.length))),
    h('ul', { class: 'cards' }, offers.map((o) => {
      const c = o.conversation;
      const left = Math.max(0, Math.ceil((Date.parse(o.expiresAt) - app.now()) / 1000));
      // The offer's length is what was left when it was first shown (the server's offer timeout).
      const total = offerSpans.get(c.id) ?? offerSpans.set(c.id, Math.max(left, 1)).get(c.id)!;
      return h('li', { class: `card offer ${st.selectedId === c.id ? 'selected' : ''}`, 'data-conversation': c.id },
        h('button', { type: 'button', class: 'card-main', 'data-key': `offer-open-${c.id}`, onclick: () => void app.select(c.id) },
          h('span', { class: 'card-title' }, c.itemTitle ?? c.packet?.summary ?? t('conv.citizen')),
          h('span', { class: 'card-meta' }, skillLabel(c.skill), ' · ', reasonLabel(c.packet?.reason ?? '', c.packet?.reasonLabel),
            o.transferredBy ? ` · ${t('offers.transferredBy', { name: o.transferredBy })}` : '')),
        h('div', { class: 'countdown', role: 'timer', 'aria-label': t('offers.expires', { s: left }) },
          h('span', { class: 'bar', style: `width:${Math.min(100, (left / total) * 100)}%` })),
        h('div', { class: 'card-actions' },
          h('span', { class: 'muted small' }, t('offers.expires', { s: left })),
          h('button', { type: 'button', class: 'btn small', 'data-key': `offer-decline-${c.id}`, onclick: () => void app.decline(c.id) }, t('offers.decline')),
          h('button', { type: 'button', class: 'btn primary small', 'data-key': `offer-accept-${c.id}`, 'aria-keyshortcuts': 'Alt+A', onclick: () => void app.accept(c.id) }, t('offers.accept'))));
    })));

  const list = mine(st);
  renderInto(s.mine,
    h('h2', { id: 'mine-title', class: 'section-title' }, t('mine.title'), h('span', { class: 'count' }, `${list.length}/${st.me.capacity}`)),
    list.length === 0 ? h('p', { class: 'empty' }, t('mine.empty')) : h('ul', { class: 'cards' }, list.map((c) => {
      const last = sortedMessages(c).filter((m) => m.sender !== 'system').at(-1);
      const n = unread(c);
      return h('li', { class: `card conv ${st.selectedId === c.summary.id ? 'selected' : ''}` },
        h('button', {
          type: 'button', class: 'card-main', 'data-key': `mine-${c.summary.id}`, 'aria-current': st.selectedId === c.summary.id ? 'true' : undefined,
          onclick: () => void app.select(c.summary.id),
        },
        h('span', { class: 'card-title' }, c.summary.itemTitle ?? `${t('conv.citizen')} ${shortId(c.summary.id)}`,
          n ? h('span', { class: 'badge', 'aria-label': t('conv.newMessages', { n }) }, String(n)) : null),
        h('span', { class: 'card-meta' }, h('span', { class: `state-dot ${c.summary.state}`, 'aria-hidden': 'true' }), stateLabel(c.summary.state), ' · ', skillLabel(c.summary.skill),
          c.citizenTyping ? ` · ${t('conv.typing')}` : ''),
        last ? h('span', { class: 'card-preview' }, plainPreview(last.text)) : null));
    })));

  const q = st.queue;
  const skills = (q?.skills ?? []).filter((sk) => st.me.role === 'supervisor' || sk.skill === 'general' || st.me.skills.includes(sk.skill) || sk.waiting.length > 0);
  renderInto(s.queue,
    h('h2', { id: 'queue-title', class: 'section-title' }, t('queue.title'), h('span', { class: 'count' }, String(skills.reduce((n, sk) => n + sk.waiting.length, 0)))),
    h('ul', { class: 'queue-list' }, skills.map((sk) => queueGroup(app, sk))));
}

/** One line of a message for a list: markdown marks dropped, whitespace folded. */
function plainPreview(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/^\s*[-*]\s+/gm, '').replace(/\s+/g, ' ').trim().slice(0, 80);
}

function mayTake(app: App, skill: string): boolean {
  const me = app.state.me;
  return me.role === 'supervisor' || skill === 'general' || me.skills.includes(skill);
}

function queueGroup(app: App, sk: SkillQueue): HTMLElement {
  const longest = sk.waiting.length ? Math.max(...sk.waiting.map((w) => app.now() - Date.parse(w.waitingSince))) : 0;
  return h('li', { class: 'queue-group' },
    h('div', { class: 'queue-head' },
      h('span', { class: 'queue-skill' }, skillLabel(sk.skill)),
      h('span', { class: `queue-count ${sk.waiting.length ? 'busy' : ''}` }, t('queue.waiting', { n: sk.waiting.length })),
      sk.waiting.length ? h('span', { class: `queue-longest ${longest > 5 * 60_000 ? 'late' : ''}` }, t('queue.longest', { d: duration(longest) })) : null),
    h('div', { class: 'queue-slots muted small' }, t('queue.slots', { online: sk.navigatorsOnline, free: sk.freeSlots, total: sk.totalSlots })),
    sk.waiting.length ? h('ol', { class: 'queue-entries' }, sk.waiting.map((w) => queueEntry(app, w))) : null);
}

function queueEntry(app: App, w: QueueEntry): HTMLElement {
  const waited = app.now() - Date.parse(w.waitingSince);
  const offeredName = w.offeredTo ? (w.offeredTo === app.state.me.id ? t('conv.you') : app.state.navigators.find((n) => n.id === w.offeredTo)?.name ?? '') : '';
  return h('li', { class: `queue-entry ${w.state}` },
    h('button', { type: 'button', class: 'entry-main', 'data-key': `queue-open-${w.conversationId}`, onclick: () => void app.select(w.conversationId) },
      h('span', { class: 'entry-pos' }, t('queue.position', { n: w.position })),
      h('span', { class: 'entry-text' }, w.itemTitle ?? w.summary ?? t('conv.citizen')),
      h('span', { class: `entry-wait ${waited > 5 * 60_000 ? 'late' : ''}` }, duration(waited))),
    h('div', { class: 'entry-meta small muted' },
      w.reason ? reasonLabel(w.reason) : '',
      w.state === 'offered' ? ` · ${t('queue.offeredTo', { name: offeredName })}` : ''),
    w.state === 'queued' && mayTake(app, w.skill)
      ? h('button', { type: 'button', class: 'btn small', 'data-key': `queue-pick-${w.conversationId}`, onclick: () => void app.accept(w.conversationId) }, t('queue.pick'))
      : null);
}

// -------------------------------------------------------------------------------------------------
// Conversation: header, transcript, composer
// -------------------------------------------------------------------------------------------------

function renderHeader(app: App, s: Shell): void {
  const c = app.selected();
  if (!c) {
    renderInto(s.header);
    s.header.hidden = true;
    return;
  }
  s.header.hidden = false;
  const sum = c.summary;
  const held = isHeldBy(app.state, c);
  const offer = app.state.offers.get(sum.id);
  const actions: HTMLElement[] = [];
  if (offer) {
    actions.push(
      h('button', { type: 'button', class: 'btn', 'data-key': 'hdr-decline', onclick: () => void app.decline(sum.id) }, t('offers.decline')),
      h('button', { type: 'button', class: 'btn primary', 'data-key': 'hdr-accept', 'aria-keyshortcuts': 'Alt+A', onclick: () => void app.accept(sum.id) }, t('action.accept')));
  } else if (sum.state === 'queued' && mayTake(app, sum.skill)) {
    actions.push(h('button', { type: 'button', class: 'btn primary', 'data-key': 'hdr-pick', onclick: () => void app.accept(sum.id) }, t('action.accept')));
  }
  if (held && sum.state === 'with-navigator') {
    actions.push(
      h('button', { type: 'button', class: 'btn', 'data-key': 'hdr-transfer', onclick: () => openTransfer(app, sum.id) }, t('action.transfer')),
      h('button', { type: 'button', class: 'btn', 'data-key': 'hdr-rtb', onclick: () => openReturnToBot(app, sum.id) }, t('action.returnToBot')),
      h('button', { type: 'button', class: 'btn', 'data-key': 'hdr-end', onclick: () => void app.end(sum.id) }, t('action.end')));
  }
  if (held) actions.push(h('button', { type: 'button', class: 'btn primary', 'data-key': 'hdr-wrap', onclick: () => openWrapUp(app, sum.id) }, t('action.wrapUp')));
  const waited = sum.waitingSince && (sum.state === 'queued' || sum.state === 'offered') ? t('conv.waitedFor', { d: duration(app.now() - Date.parse(sum.waitingSince)) }) : '';
  renderInto(s.header,
    h('div', { class: 'conv-title' },
      h('h2', { id: 'conv-title' }, sum.itemTitle ?? t('conv.citizen'), ' ', h('span', { class: 'conv-id muted' }, `#${shortId(sum.id)}`)),
      h('div', { class: 'conv-meta' },
        h('span', { class: `pill state ${sum.state}` }, stateLabel(sum.state)),
        h('span', { class: 'pill' }, skillLabel(sum.skill)),
        h('span', { class: 'pill', title: t('conv.lang') }, sum.lang === 'en' ? t('lang.en') : t('lang.zh')),
        waited ? h('span', { class: 'muted small' }, waited) : null)),
    h('div', { class: 'conv-actions' }, actions),
    sum.state === 'wrap-up' && held ? h('p', { class: 'notice', role: 'status' }, t('conv.wrapUpNeeded')) : null,
    !held && !offer && sum.state !== 'queued' ? h('p', { class: 'notice', role: 'status' }, t('conv.notMine', { state: stateLabel(sum.state) })) : null);
}

function citations(list: Citation[]): HTMLElement | null {
  if (!list.length) return null;
  return h('div', { class: 'citations' },
    h('span', { class: 'citations-label' }, t('conv.sources')),
    h('ol', {}, list.map((ci) => h('li', {},
      h('span', { class: `kind ${ci.kind}` }, t(`kind.${ci.kind}`)),
      /^https?:\/\//.test(ci.url) ? h('a', { href: ci.url, target: '_blank', rel: 'noopener noreferrer' }, ci.title) : h('span', {}, ci.title),
      h('span', { class: 'muted small' }, ` ${ci.updatedAt}`)))));
}

function messageNode(app: App, c: ConversationView, m: MessageView): HTMLElement {
  if (m.sender === 'system') {
    return h('div', { class: `msg system ${m.event ?? ''}`, 'data-seq': m.seq }, h('span', {}, m.text), h('time', { datetime: m.at }, clockTime(m.at)));
  }
  const who = m.sender === 'citizen' ? t('conv.citizen') : m.sender === 'bot' ? t('conv.bot') : m.authorName ?? t('conv.you');
  const body = h('div', { class: 'bubble' });
  if (m.sender === 'bot') body.appendChild(renderMarkdown(m.text));
  else body.appendChild(h('p', { class: 'plain' }, m.text));
  const ownRead = m.sender === 'navigator' && m.seq <= c.summary.citizenReadSeq;
  return h('div', { class: `msg ${m.sender}`, 'data-seq': m.seq },
    h('div', { class: 'msg-head' },
      h('span', { class: 'who' }, who),
      m.bot ? h('span', { class: `confidence ${m.bot.confidence < 0.5 ? 'low' : ''}` }, t('conv.confidence', { p: percent(m.bot.confidence) })) : null,
      h('time', { datetime: m.at }, clockTime(m.at))),
    body,
    m.bot ? citations(m.bot.citations) : null,
    m.sender === 'navigator' ? h('div', { class: `receipt ${ownRead ? 'read' : ''}` }, ownRead ? t('conv.read') : t('conv.sent')) : null);
}

function noteNode(n: NoteView): HTMLElement {
  return h('div', { class: 'msg note', 'data-note': n.id },
    h('div', { class: 'msg-head' }, h('span', { class: 'who' }, `${t('composer.note')} · ${n.authorName}`), h('time', { datetime: n.at }, clockTime(n.at))),
    h('div', { class: 'bubble' }, h('p', { class: 'plain' }, n.text)));
}

/** A conversation's messages (bot turns with their citations, system notices) with its internal notes in time order. */
export function transcriptNodes(app: App, c: ConversationView): HTMLElement[] {
  const notes = [...c.notes.values()].sort((a, b) => (a.at < b.at ? -1 : 1));
  const nodes: HTMLElement[] = [];
  let ni = 0;
  for (const m of sortedMessages(c)) {
    while (ni < notes.length && notes[ni]!.at < m.at) nodes.push(noteNode(notes[ni++]!));
    nodes.push(messageNode(app, c, m));
  }
  while (ni < notes.length) nodes.push(noteNode(notes[ni++]!));
  return nodes;
}

function renderTranscript(app: App, s: Shell): void {
  const c = app.selected();
  const el = s.transcript;
  if (!c) {
    renderInto(el, h('div', { class: 'placeholder' }, h('span', { class: 'logo big', 'aria-hidden': 'true' }, '导'), h('p', {}, t('conv.none'))));
    s.typing.textContent = '';
    return;
  }
  const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  const nodes = transcriptNodes(app, c);
  for (const p of c.pending.values()) {
    nodes.push(h('div', { class: `msg navigator pending ${p.failed ? 'failed' : ''}` },
      h('div', { class: 'msg-head' }, h('span', { class: 'who' }, app.state.me.name), h('time', { datetime: p.at }, clockTime(p.at))),
      h('div', { class: 'bubble' }, h('p', { class: 'plain' }, p.text)),
      p.failed
        ? h('button', { type: 'button', class: 'receipt failed', onclick: () => void app.retry(c.summary.id, p.clientId) }, t('conv.failed'))
        : h('div', { class: 'receipt' }, t('conv.sending'))));
  }
  el.setAttribute('aria-label', t('conv.transcript'));
  el.replaceChildren(...nodes);
  if (atBottom || el.dataset.conversation !== c.summary.id) el.scrollTop = el.scrollHeight;
  el.dataset.conversation = c.summary.id;
  s.typing.textContent = c.citizenTyping ? t('conv.typing') : '';
}

function renderComposer(app: App, s: Shell): void {
  const c = app.selected();
  const held = isHeldBy(app.state, c);
  // Notes can be added to any conversation the navigator can see; replies only to one they hold.
  if (c && !held && !app.state.noteMode) app.state.noteMode = true;
  const noteMode = app.state.noteMode;
  s.composer.hidden = !c;
  const mode = (value: boolean, label: string) => h('button', {
    type: 'button', role: 'radio', class: `seg ${noteMode === value ? 'on' : ''} ${value ? 'note' : ''}`, 'aria-checked': String(noteMode === value),
    'aria-keyshortcuts': 'Alt+N', disabled: !value && !held,
    onclick: () => {
      app.state.noteMode = value;
      app.invalidate('composer');
      s.composerInput.focus();
    },
  }, label);
  renderInto(s.composerModes, mode(false, t('composer.reply')), mode(true, t('composer.note')));
  s.composerModes.setAttribute('aria-label', `${t('composer.reply')} / ${t('composer.note')}`);
  s.composer.classList.toggle('note-mode', noteMode);
  s.composerInput.placeholder = noteMode ? t('composer.notePlaceholder') : t('composer.placeholder');
  s.composerInput.setAttribute('aria-label', noteMode ? t('composer.noteLabel') : t('composer.label'));
  s.composerSend.textContent = noteMode ? t('composer.addNote') : t('composer.send');
  s.composerHint.textContent = noteMode ? t('notes.hint') : '';
  // Each conversation keeps its own reply and note drafts; the text box changes only when the target does.
  const target = `${c?.summary.id ?? ''}|${noteMode ? 'note' : 'reply'}`;
  if (s.composer.dataset.target !== target) {
    s.composerInput.value = c ? (noteMode ? c.noteDraft : c.draft) : '';
    s.composer.dataset.target = target;
  }
}

// -------------------------------------------------------------------------------------------------
// Context panel: packet, agent assist, canned replies, notes, history
// -------------------------------------------------------------------------------------------------

function renderContext(app: App, s: Shell): void {
  const c = app.selected();
  if (!c) {
    renderInto(s.context);
    s.context.hidden = true;
    return;
  }
  s.context.hidden = false;
  const tabs: Array<[SideTab, string]> = [['packet', t('tab.packet')], ['assist', t('tab.assist')], ['canned', t('tab.canned')], ['notes', `${t('tab.notes')}${c.notes.size ? ` ${c.notes.size}` : ''}`], ['history', t('tab.history')]];
  const current = app.state.sideTab;
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('tab.packet') },
    tabs.map(([id, label]) => h('button', {
      type: 'button', role: 'tab', id: `tab-${id}`, class: 'tab', 'data-key': `tab-${id}`, 'aria-selected': String(current === id),
      'aria-controls': `panel-${id}`, tabindex: current === id ? 0 : -1,
      onclick: () => app.setSideTab(id),
      onkeydown: (e: Event) => {
        const k = (e as KeyboardEvent).key;
        if (k !== 'ArrowRight' && k !== 'ArrowLeft') return;
        const i = tabs.findIndex(([x]) => x === current);
        const next = tabs[(i + (k === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]![0];
        app.setSideTab(next);
        requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
      },
    }, label)));
  const panel = h('div', { class: 'tab-panel', role: 'tabpanel', id: `panel-${current}`, 'aria-labelledby': `tab-${current}`, tabindex: 0 },
    current === 'packet' ? packetPanel(c)
      : current === 'assist' ? assistPanel(app, c)
        : current === 'canned' ? cannedPanel(app)
          : current === 'notes' ? notesPanel(c)
            : historyPanel(c));
  renderInto(s.context, tablist, panel);
}

function field(label: string, ...value: Array<Node | string | null>): HTMLElement {
  return h('div', { class: 'field' }, h('dt', {}, label), h('dd', {}, value));
}

function packetPanel(c: ConversationView): HTMLElement {
  const p = c.summary.packet;
  if (!p) return h('p', { class: 'empty' }, t('packet.none'));
  const conf = percent(p.confidence);
  return h('dl', { class: 'packet' },
    field(t('packet.reason'), h('span', { class: `pill reason ${p.reason}` }, reasonLabel(p.reason, p.reasonLabel))),
    field(t('packet.confidence'), h('span', { class: 'meter', role: 'img', 'aria-label': `${conf}%` }, h('span', { class: `meter-fill ${conf < 50 ? 'low' : ''}`, style: `width:${conf}%` })), ` ${conf}%`),
    p.itemTitle ? field(t('packet.item'), p.itemTitle) : null,
    field(t('packet.skill'), skillLabel(c.summary.skill)),
    field(t('packet.summary'), h('span', { class: 'summary-text' }, p.summary || '—')),
    field(t('packet.situation'), p.situation.length
      ? h('ul', { class: 'situation' }, p.situation.map((a) => h('li', {}, h('span', { class: 'q' }, a.question ?? a.questionId), h('span', { class: 'a' }, a.answer ?? a.optionId))))
      : h('span', { class: 'muted' }, t('packet.noSituation'))),
    p.department ? field(t('packet.department'), p.department.name, p.department.hotline ? h('span', { class: 'muted' }, ` · ${t('tickets.hotline', { hotline: p.department.hotline })}`) : null) : null,
    p.transferNote || p.transferredBy ? field(t('packet.transfer'), p.transferNote ?? '', p.transferredBy ? h('span', { class: 'muted small block' }, t('packet.transferredBy', { name: p.transferredBy })) : null) : null,
    field(t('packet.requestedAt'), dateTime(p.requestedAt)));
}

function insertIntoComposer(app: App, text: string): void {
  const c = app.selected();
  const input = document.querySelector<HTMLTextAreaElement>('#composer-input');
  if (!c || !input || !isHeldBy(app.state, c)) return;
  app.state.noteMode = false;
  app.invalidate('composer');
  requestAnimationFrame(() => {
    input.value = input.value.trim() ? `${input.value.trimEnd()}\n${text}` : text;
    c.draft = input.value;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });
}

export { insertIntoComposer };

function assistPanel(app: App, c: ConversationView): HTMLElement {
  const a = c.assist;
  const held = isHeldBy(app.state, c);
  return h('div', { class: 'assist' },
    h('div', { class: 'panel-head' },
      h('p', { class: 'muted small' }, t('assist.title')),
      h('button', { type: 'button', class: 'btn small ghost', 'data-key': 'assist-refresh', onclick: () => void app.suggest(c, true) }, t('assist.refresh'))),
    a?.question ? h('blockquote', { class: 'assist-question' }, h('span', { class: 'muted small block' }, t('assist.question')), a.question) : null,
    !a || a.loading ? h('p', { class: 'muted', role: 'status' }, t('assist.loading'))
      : a.error ? h('p', { class: 'error' }, t('err.generic', { message: a.error }))
        : !a.question ? h('p', { class: 'empty' }, t('assist.noQuestion'))
          : !a.suggestions.length ? h('p', { class: 'empty' }, t('assist.empty'))
            : h('ol', { class: 'suggestions' }, a.suggestions.map((sg, i) => h('li', { class: 'suggestion' },
              h('div', { class: 'suggestion-text' }, renderMarkdown(sg.text)),
              sg.citation ? citations([sg.citation]) : null,
              h('button', { type: 'button', class: 'btn small', 'data-key': `assist-use-${i}`, disabled: !held, onclick: () => insertIntoComposer(app, sg.text) }, t('assist.use'))))));
}

function cannedPanel(app: App): HTMLElement {
  const held = isHeldBy(app.state, app.selected());
  const list = app.state.canned;
  return h('div', { class: 'canned' },
    h('div', { class: 'panel-head' },
      h('p', { class: 'muted small' }, t('canned.title')),
      h('button', {
        type: 'button', class: 'btn small ghost', 'data-key': 'canned-manage', 'aria-label': t('canned.manageTitle'), 'aria-keyshortcuts': 'Alt+C',
        onclick: () => openCannedManager(app),
      }, t('canned.manage'))),
    list.length === 0 ? h('p', { class: 'empty' }, t('canned.empty')) : h('ol', { class: 'canned-list' }, list.map((r, i) => h('li', {},
      h('button', {
        type: 'button', class: 'canned-item', 'data-key': `canned-${r.id}`, disabled: !held, 'aria-keyshortcuts': i < 9 ? `Alt+${i + 1}` : undefined,
        onclick: () => insertIntoComposer(app, r.text),
      },
      i < 9 ? h('kbd', {}, String(i + 1)) : null,
      h('span', { class: 'canned-title' }, r.title),
      h('span', { class: 'canned-text' }, r.text))))));
}

function notesPanel(c: ConversationView): HTMLElement {
  const notes = [...c.notes.values()].sort((a, b) => (a.at < b.at ? -1 : 1));
  return h('div', { class: 'notes' },
    h('p', { class: 'muted small' }, t('notes.hint')),
    notes.length === 0 ? h('p', { class: 'empty' }, t('notes.empty')) : h('ol', { class: 'note-list' }, notes.map((n) => h('li', { class: 'note-item' },
      h('div', { class: 'msg-head' }, h('span', { class: 'who' }, n.authorName), h('time', { datetime: n.at }, dateTime(n.at))),
      h('p', { class: 'plain' }, n.text)))));
}

function historyPanel(c: ConversationView): HTMLElement {
  if (!c.events.length) return h('p', { class: 'empty' }, t('history.empty'));
  return h('ol', { class: 'history' }, c.events.map((e) => h('li', {},
    h('time', { datetime: e.at }, dateTime(e.at)),
    h('span', {}, `${stateLabel(e.from)} → ${stateLabel(e.to)}`),
    h('span', { class: 'muted small' }, e.reason))));
}

// -------------------------------------------------------------------------------------------------
// Tickets and team pages
// -------------------------------------------------------------------------------------------------

function renderTickets(app: App, s: Shell): void {
  const st = app.state;
  const filters: Array<['open' | 'claimed' | 'closed', string]> = [['open', t('tickets.open')], ['claimed', t('tickets.claimed')], ['closed', t('tickets.closed')]];
  renderInto(s.ticketsView,
    h('div', { class: 'page-head' },
      h('h2', { id: 'tickets-title' }, t('tickets.title')),
      h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': t('tickets.filter') }, filters.map(([f, label]) => h('button', {
        type: 'button', role: 'radio', class: `seg ${st.ticketFilter === f ? 'on' : ''}`, 'aria-checked': String(st.ticketFilter === f), 'data-key': `tf-${f}`,
        onclick: () => void app.loadTickets(f),
      }, label, f === 'open' && st.openTickets ? h('span', { class: 'badge' }, String(st.openTickets)) : null))),
      h('button', { type: 'button', class: 'btn ghost', 'data-key': 'tickets-refresh', onclick: () => void app.loadTickets() }, t('action.refresh'))),
    st.tickets.length === 0 ? h('p', { class: 'empty' }, t('tickets.empty')) : h('table', { class: 'grid', id: 'tickets-table' },
      h('thead', {}, h('tr', {},
        [t('tickets.ref'), t('tickets.createdAt'), t('tickets.question'), t('tickets.contact'), t('tickets.department'), t('tickets.status'), t('tickets.actions')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, st.tickets.map((tk) => h('tr', { 'data-ticket': tk.ref },
        h('td', { class: 'mono' }, tk.ref),
        h('td', { class: 'nowrap' }, dateTime(tk.createdAt)),
        h('td', { class: 'wide' }, h('span', { class: 'block' }, tk.question), tk.summary && tk.summary !== tk.question ? h('span', { class: 'muted small block' }, `${t('tickets.summary')}：${tk.summary}`) : null),
        h('td', {}, tk.name ? h('span', { class: 'block' }, tk.name) : null, tk.phone ? h('span', { class: 'block mono' }, tk.phone) : null, tk.email ? h('span', { class: 'block' }, tk.email) : null),
        h('td', {}, tk.department ? h('span', { class: 'block' }, tk.department.name) : '—', tk.department?.hotline ? h('span', { class: 'muted small block' }, t('tickets.hotline', { hotline: tk.department.hotline })) : null,
          h('span', { class: 'pill small' }, skillLabel(tk.skill))),
        h('td', {}, h('span', { class: `pill ticket-${tk.status}` }, t(`tickets.${tk.status}`)), tk.claimedByName ? h('span', { class: 'muted small block' }, tk.claimedByName) : null,
          tk.closeNote ? h('span', { class: 'muted small block' }, tk.closeNote) : null),
        h('td', { class: 'nowrap' },
          tk.status === 'open' ? h('button', { type: 'button', class: 'btn small primary', 'data-key': `claim-${tk.id}`, onclick: () => void app.claimTicket(tk.id) }, t('tickets.claim')) : null,
          tk.status !== 'closed' && (tk.status === 'open' || tk.claimedBy === st.me.id || st.me.role === 'supervisor')
            ? h('button', { type: 'button', class: 'btn small', 'data-key': `close-${tk.id}`, onclick: () => openTicketClose(app, tk) }, t('tickets.close')) : null))))));
}

function renderTeam(app: App, s: Shell): void {
  const st = app.state;
  const skills = st.queue?.skills ?? [];
  renderInto(s.teamView,
    h('div', { class: 'page-head' }, h('h2', { id: 'team-title' }, t('team.queues'))),
    h('table', { class: 'grid', id: 'queues-table' },
      h('thead', {}, h('tr', {}, [t('packet.skill'), t('team.waiting'), t('team.longest'), t('team.online'), t('team.slots')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, skills.map((sk) => {
        const longest = sk.waiting.length ? Math.max(...sk.waiting.map((w) => app.now() - Date.parse(w.waitingSince))) : 0;
        return h('tr', {},
          h('th', { scope: 'row' }, skillLabel(sk.skill)),
          h('td', { class: sk.waiting.length ? 'strong' : 'muted' }, String(sk.waiting.length)),
          h('td', { class: longest > 5 * 60_000 ? 'late' : '' }, sk.waiting.length ? duration(longest) : '—'),
          h('td', {}, String(sk.navigatorsOnline)),
          h('td', {}, `${sk.freeSlots}/${sk.totalSlots}`));
      }))),
    h('div', { class: 'page-head' }, h('h2', {}, t('team.title'))),
    h('table', { class: 'grid', id: 'team-table' },
      h('thead', {}, h('tr', {}, [t('team.name'), t('team.role'), t('team.skills'), t('team.status'), t('team.load')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, st.navigators.map((n) => h('tr', {},
        h('th', { scope: 'row' }, n.name, h('span', { class: 'muted small' }, ` ${n.username}`)),
        h('td', {}, n.role === 'supervisor' ? t('team.supervisor') : t('team.navigator')),
        h('td', {}, n.skills.map((sk) => h('span', { class: 'pill small' }, skillLabel(sk)))),
        h('td', {}, h('span', { class: `status-dot ${n.status}`, 'aria-hidden': 'true' }), t(`status.${n.status}`)),
        h('td', {}, h('span', { class: 'meter small', role: 'img', 'aria-label': `${n.load}/${n.capacity}` }, h('span', { class: 'meter-fill', style: `width:${Math.min(100, (n.load / n.capacity) * 100)}%` })), ` ${n.load}/${n.capacity}`))))),
    st.me.role !== 'supervisor' ? h('p', { class: 'muted small' }, t('team.note')) : null);
}
