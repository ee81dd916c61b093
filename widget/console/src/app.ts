/**
 * The console controller: owns the state and the socket, turns server events into state changes and user
 * actions into acknowledged calls, and schedules the re-rendering of the regions that changed.
 */
import { call, ConsoleError, connectNavigator, logout, newClientId, request, type NavigatorSocket } from './client.ts';
import { t, type TextKey } from './i18n.ts';
import type { CannedReplyView, ConversationSummary, LoginResult, TransferTarget } from './protocol.ts';
import { applyChange, applyList, beginFetch, noteMessage, stopMonitor } from './monitor-model.ts';
import { clearSession } from './session.ts';
import {
  addMessages, addNotes, applyDetail, applyHello, applySummary, initialState, isHeldBy, lastSeqOf, mine, upsertTicket,
  type ConsoleState, type ConversationView, type MainView, type SideTab, type TicketFilter,
} from './state.ts';

export type Region = 'top' | 'sidebar' | 'header' | 'transcript' | 'composer' | 'context' | 'tickets' | 'team' | 'canned' | 'monitor';

export interface Renderer {
  render(app: App, regions: Set<Region>): void;
  toast(text: string, kind?: 'info' | 'error'): void;
}

/** A navigator's optional note as an action carries it: trimmed, and left out when empty. */
function noteOf(note: string): { note?: string } {
  const trimmed = note.trim();
  return trimmed ? { note: trimmed } : {};
}

export class App {
  readonly state: ConsoleState;
  readonly socket: NavigatorSocket;
  private wanted: 'available' | 'away' = 'available';
  private dirty = new Set<Region>();
  private frame = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private typingSentAt = 0;
  private ticker: ReturnType<typeof setInterval>;
  /** Numbers the canned-list fetches, so an older answer never replaces a newer one. */
  private cannedFetch = 0;

  constructor(session: LoginResult, private readonly renderer: Renderer, private readonly onSignedOut: (notice?: string) => void) {
    this.state = initialState(session.token, session.navigator);
    this.socket = connectNavigator({
      token: session.token,
      auth: () => ({ status: this.wanted, lastSeqs: this.lastSeqs() }),
    });
    this.wire();
    // Countdowns and waiting times move every second.
    this.ticker = setInterval(() => this.invalidate('sidebar', 'header', ...(this.state.view === 'team' ? (['team'] as const) : this.state.view === 'monitor' ? (['monitor'] as const) : [])), 1000);
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering
  // ---------------------------------------------------------------------------------------------

  invalidate(...regions: Region[]): void {
    for (const r of regions) this.dirty.add(r);
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const regionsNow = this.dirty;
      this.dirty = new Set();
      this.renderer.render(this, regionsNow);
      this.markReadIfVisible();
    });
  }

  invalidateAll(): void {
    this.invalidate('top', 'sidebar', 'header', 'transcript', 'composer', 'context', 'tickets', 'team', 'canned', 'monitor');
  }

  selected(): ConversationView | undefined {
    return this.state.selectedId ? this.state.conversations.get(this.state.selectedId) : undefined;
  }

  /** Server time now (offer deadlines and waiting times are server instants). */
  now(): number {
    return Date.now() + this.state.skewMs;
  }

  /** Runs a console action: true when it went through, false (the navigator told why) when it failed. */
  private async attempt(action: () => Promise<void>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  private fail(err: unknown): void {
    const code = err instanceof ConsoleError ? err.code : '';
    const key = `err.${code}` as TextKey;
    const known = code && (['err.DB_ALREADY_CLAIMED', 'err.DB_CAPACITY_FULL', 'err.DB_NAVIGATOR_UNAVAILABLE', 'err.DB_TICKET_NOT_OPEN', 'err.DB_INVALID_TRANSITION', 'err.DB_NOT_OWNER', 'err.DB_FORBIDDEN', 'err.timeout'] as string[]).includes(key);
    this.renderer.toast(known ? t(key) : t('err.generic', { message: (err as Error).message }), 'error');
  }

  // ---------------------------------------------------------------------------------------------
  // Socket events
  // ---------------------------------------------------------------------------------------------

  private lastSeqs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.state.conversations.values()) {
      if (isHeldBy(this.state, c) || c.summary.id === this.state.selectedId) out[c.summary.id] = lastSeqOf(c);
    }
    return out;
  }

  private wire(): void {
    const s = this.socket;
    s.on('connect', () => {
      this.state.connection = 'online';
      this.invalidate('top');
    });
    s.on('disconnect', (reason) => {
      this.state.connection = 'offline';
      this.invalidate('top');
      if (reason === 'io server disconnect' && this.state.sessionExpiresAt && Date.parse(this.state.sessionExpiresAt) > Date.now()) s.connect();
    });
    s.on('connect_error', (err) => {
      if (err.message === 'DB_UNAUTHORIZED' || err.message === 'DB_SESSION_EXPIRED') this.signOut(t('login.expired'), false);
      else {
        this.state.connection = 'offline';
        this.invalidate('top');
      }
    });
    s.on('session:expired', () => this.signOut(t('login.expired'), false));
    s.on('hello', (hello) => {
      applyHello(this.state, hello);
      this.wanted = hello.navigator.status === 'away' ? 'away' : 'available';
      this.invalidateAll();
      void this.loadReferenceData();
      // Notes and events are not part of the replay: refresh the open conversation in full (merged, never doubled).
      if (this.state.selectedId) void this.open(this.state.selectedId, true);
      if (this.state.view === 'tickets') void this.loadTickets();
      if (this.state.view === 'team') void this.loadNavigators();
      // A new connection has joined no room yet: subscribe to the monitor again and watch the open conversation.
      if (this.state.view === 'monitor') void this.startMonitoring();
    });
    s.on('queue', (q) => {
      this.state.queue = q;
      this.state.skewMs = Date.parse(q.at) - Date.now();
      this.invalidate('sidebar', 'team', 'header');
      if (this.state.view === 'team') void this.loadNavigators();
    });
    s.on('offer', (offer) => {
      this.state.offers.set(offer.conversation.id, offer);
      applySummary(this.state, offer.conversation);
      this.state.offers.set(offer.conversation.id, offer);
      if (!this.state.selectedId) void this.select(offer.conversation.id);
      this.invalidate('sidebar', 'top', 'header');
      notifyOffer();
    });
    s.on('offer:withdrawn', ({ conversationId }) => {
      if (this.state.offers.delete(conversationId)) this.renderer.toast(t('toast.offerWithdrawn'));
      this.invalidate('sidebar', 'top', 'header', 'composer');
    });
    s.on('conversation', (summary) => this.onSummary(summary));
    s.on('message', (m) => {
      if (this.state.view === 'monitor' && (noteMessage(this.state.monitor, m) || m.conversationId === this.state.monitor.openId)) this.invalidate('monitor');
      const c = this.state.conversations.get(m.conversationId);
      if (!c) return;
      addMessages(c, [m]);
      if (m.sender === 'citizen' && c.summary.id === this.state.selectedId && this.state.sideTab === 'assist') void this.suggest(c, false);
      this.invalidate('sidebar', ...(c.summary.id === this.state.selectedId ? (['transcript', 'header'] as const) : []));
    });
    s.on('note', (note) => {
      const c = this.state.conversations.get(note.conversationId);
      if (!c) return;
      addNotes(c, [note]);
      if (c.summary.id === this.state.selectedId) this.invalidate('transcript', 'context');
      if (c.summary.id === this.state.monitor.openId) this.invalidate('monitor');
    });
    s.on('typing', ({ conversationId, typing }) => {
      const c = this.state.conversations.get(conversationId);
      if (!c) return;
      c.citizenTyping = typing;
      if (conversationId === this.state.selectedId) this.invalidate('transcript');
    });
    s.on('read', ({ conversationId, seq }) => {
      const c = this.state.conversations.get(conversationId);
      if (!c || seq <= c.summary.citizenReadSeq) return;
      c.summary = { ...c.summary, citizenReadSeq: seq };
      if (conversationId === this.state.selectedId) this.invalidate('transcript');
    });
    s.on('ticket', (ticket) => {
      upsertTicket(this.state, ticket);
      void this.refreshOpenTickets();
      this.invalidate('tickets', 'top');
      if (ticket.status === 'open' && !ticket.claimedBy) this.renderer.toast(t('tickets.newOne', { ref: ticket.ref }));
    });
    s.on('monitor:conversation', (change) => {
      if (this.state.view !== 'monitor') return;
      applyChange(this.state.monitor, change);
      this.invalidate('monitor');
    });
    s.on('canned:changed', () => void this.loadCanned());
    s.on('status', ({ status, cause }) => {
      if (cause === 'offer-unanswered') this.renderer.toast(t('toast.away'));
      this.state.status = status;
      if (status !== 'offline') this.wanted = status;
      this.invalidate('top');
    });
  }

  private onSummary(summary: ConversationSummary): void {
    const before = this.state.conversations.get(summary.id)?.summary;
    applySummary(this.state, summary);
    const c = this.state.conversations.get(summary.id)!;
    // A conversation that comes back to us (a transfer back, a requeue) may have notes we have not seen.
    if (before && before.navigatorId !== summary.navigatorId) c.loaded = false;
    if (summary.id === this.state.selectedId) {
      if (!c.loaded) void this.open(summary.id, true);
      this.invalidate('header', 'composer', 'context', 'transcript');
    }
    if (summary.id === this.state.monitor.openId) this.invalidate('monitor');
    this.invalidate('sidebar', 'top');
  }

  private async loadReferenceData(): Promise<void> {
    await Promise.all([this.loadCanned(), this.loadNavigators()]);
  }

  /** Fetches the canned replies this navigator may see (at every hello, and whenever one of them changed). */
  async loadCanned(): Promise<void> {
    const fetchNo = ++this.cannedFetch;
    await this.attempt(async () => {
      const { replies } = await call(this.socket, 'canned:list', {});
      if (fetchNo !== this.cannedFetch) return;
      this.state.canned = replies;
      this.invalidate('context', 'canned');
    });
  }

  private async refreshOpenTickets(): Promise<void> {
    try {
      this.state.openTickets = (await call(this.socket, 'tickets:list', { status: 'open' })).tickets.length;
      this.invalidate('top');
    } catch {
      // the badge keeps its last count
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Navigation
  // ---------------------------------------------------------------------------------------------

  setView(view: MainView): void {
    if (view === 'monitor' && this.state.me.role !== 'supervisor') return;
    const was = this.state.view;
    this.state.view = view;
    if (was === 'monitor' && view !== 'monitor') this.stopMonitoring();
    if (view === 'monitor' && was !== 'monitor') void this.startMonitoring();
    if (view === 'tickets') void this.loadTickets();
    if (view === 'team') void this.loadNavigators();
    this.invalidateAll();
  }

  setSideTab(tab: SideTab): void {
    this.state.sideTab = tab;
    const c = this.selected();
    if (tab === 'assist' && c) void this.suggest(c, false);
    this.invalidate('context');
  }

  async select(id: string): Promise<void> {
    const previous = this.state.selectedId;
    if (previous && previous !== id) {
      const prev = this.state.conversations.get(previous);
      if (prev && !isHeldBy(this.state, prev)) this.socket.volatile.emit('conversation:close-view', { conversationId: previous });
      this.stopTyping();
    }
    this.state.selectedId = id;
    this.state.noteMode = false;
    this.setView('conversations');
    await this.open(id, false);
  }

  /** Loads the full transcript, packet, notes and history (and subscribes to the conversation's live events). */
  async open(id: string, force: boolean): Promise<void> {
    const existing = this.state.conversations.get(id);
    if (existing?.loaded && !force) return;
    await this.attempt(async () => {
      const { detail } = await call(this.socket, 'conversation:open', { conversationId: id });
      const c = applyDetail(this.state, detail);
      if (id === this.state.selectedId && this.state.sideTab === 'assist') void this.suggest(c, false);
      this.invalidate('header', 'transcript', 'composer', 'context', 'sidebar');
    });
  }

  moveSelection(delta: number): void {
    const list = [...this.state.offers.keys(), ...mine(this.state).map((c) => c.summary.id)];
    if (!list.length) return;
    const i = this.state.selectedId ? list.indexOf(this.state.selectedId) : -1;
    const next = list[(i + delta + list.length) % list.length];
    if (next) void this.select(next);
  }

  // ---------------------------------------------------------------------------------------------
  // Monitoring (supervisors): the list and one conversation watched read-only (./monitor-view.ts)
  // ---------------------------------------------------------------------------------------------

  /** Subscribes to the monitor list (again after a reconnect) and watches the open conversation again. */
  private async startMonitoring(): Promise<void> {
    const m = this.state.monitor;
    beginFetch(m);
    this.invalidate('monitor');
    const listed = await this.attempt(async () => {
      const { conversations } = await call(this.socket, 'monitor:list', {});
      if (this.state.view === 'monitor') applyList(m, conversations);
    });
    if (!listed && this.state.view === 'monitor') applyList(m, []);
    if (m.openId && this.state.view === 'monitor') void this.watch(m.openId);
    this.invalidate('monitor');
  }

  private stopMonitoring(): void {
    const m = this.state.monitor;
    this.socket.emit('monitor:stop', {});
    if (m.openId) this.releaseWatch(m.openId);
    stopMonitor(m);
  }

  /** Shows a conversation's whole transcript read-only and follows it live; claims nothing and tells nobody. */
  async watch(id: string): Promise<void> {
    const m = this.state.monitor;
    if (m.openId && m.openId !== id) this.releaseWatch(m.openId);
    m.openId = id;
    this.invalidate('monitor');
    await this.attempt(async () => {
      applyDetail(this.state, (await call(this.socket, 'monitor:open', { conversationId: id })).detail);
      this.invalidate('monitor');
    });
  }

  unwatch(): void {
    const m = this.state.monitor;
    if (m.openId) this.releaseWatch(m.openId);
    m.openId = undefined;
    this.invalidate('monitor');
  }

  /** Leaves a watched conversation's live events, unless the conversations view shows it or we hold it. */
  private releaseWatch(id: string): void {
    const c = this.state.conversations.get(id);
    if (id === this.state.selectedId || isHeldBy(this.state, c)) return;
    this.socket.volatile.emit('conversation:close-view', { conversationId: id });
    // Opened again later, it is fetched again (and its live events subscribed to again).
    if (c) c.loaded = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Actions
  // ---------------------------------------------------------------------------------------------

  async setStatus(status: 'available' | 'away'): Promise<void> {
    this.wanted = status;
    await this.attempt(async () => {
      this.state.status = (await call(this.socket, 'status:set', { status })).status;
    });
    this.invalidate('top');
  }

  async accept(id: string): Promise<void> {
    try {
      const { conversation: summary } = await call(this.socket, 'conversation:accept', { conversationId: id });
      this.state.offers.delete(id);
      applySummary(this.state, summary);
      this.renderer.toast(t('toast.accepted'));
      await this.select(id);
      await this.open(id, true);
      this.focusComposer();
    } catch (e) {
      this.fail(e);
      this.invalidate('sidebar');
    }
  }

  async decline(id: string): Promise<void> {
    await this.attempt(async () => {
      await call(this.socket, 'conversation:decline', { conversationId: id });
      this.state.offers.delete(id);
      if (this.state.selectedId === id) this.state.selectedId = undefined;
      this.invalidateAll();
    });
  }

  oldestOffer(): string | undefined {
    return [...this.state.offers.values()].sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : 1))[0]?.conversation.id;
  }

  /** Sends the composer's text as a reply (or a note): shown at once as pending, confirmed by the stored message. */
  async send(text: string, asNote: boolean): Promise<boolean> {
    const c = this.selected();
    const body = text.trim();
    if (!c || !body) return false;
    const clientId = newClientId();
    if (asNote) {
      return this.attempt(async () => {
        const { note } = await call(this.socket, 'note:add', { conversationId: c.summary.id, text: body, clientId });
        addNotes(c, [note]);
        this.invalidate('transcript', 'context');
      });
    }
    this.stopTyping();
    c.pending.set(clientId, { clientId, text: body, at: new Date(this.now()).toISOString() });
    this.invalidate('transcript');
    await this.deliver(c, clientId);
    return true;
  }

  async retry(conversationId: string, clientId: string): Promise<void> {
    const c = this.state.conversations.get(conversationId);
    const p = c?.pending.get(clientId);
    if (!c || !p) return;
    delete p.failed;
    this.invalidate('transcript');
    await this.deliver(c, clientId);
  }

  private async deliver(c: ConversationView, clientId: string): Promise<void> {
    const p = c.pending.get(clientId);
    if (!p) return;
    try {
      const { message } = await call(this.socket, 'message:send', { conversationId: c.summary.id, clientId, text: p.text });
      addMessages(c, [message]);
    } catch (e) {
      p.failed = e instanceof Error ? e.message : String(e);
      this.fail(e);
    }
    this.invalidate('transcript');
  }

  typing(): void {
    const c = this.selected();
    if (!c || !isHeldBy(this.state, c) || this.state.noteMode) return;
    const now = Date.now();
    if (now - this.typingSentAt > 2500) {
      this.typingSentAt = now;
      this.socket.volatile.emit('typing', { conversationId: c.summary.id, typing: true });
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 3000);
  }

  stopTyping(): void {
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    const c = this.selected();
    if (this.typingSentAt && c) this.socket.volatile.emit('typing', { conversationId: c.summary.id, typing: false });
    this.typingSentAt = 0;
  }

  private markReadIfVisible(): void {
    const c = this.selected();
    if (!c || !isHeldBy(this.state, c) || document.visibilityState !== 'visible' || this.state.view !== 'conversations') return;
    const seq = lastSeqOf(c);
    if (seq <= c.summary.navigatorReadSeq) return;
    c.summary = { ...c.summary, navigatorReadSeq: seq };
    // Acknowledged (so it is retried across a reconnect); a failure only leaves the receipt for the next render.
    call(this.socket, 'read', { conversationId: c.summary.id, seq }).catch(() => undefined);
    this.invalidate('sidebar');
  }

  async suggest(c: ConversationView, force: boolean): Promise<void> {
    const lastCitizen = Math.max(0, ...[...c.messages.values()].filter((m) => m.sender === 'citizen').map((m) => m.seq));
    if (!force && c.assist && (c.assist.loading || c.assist.forSeq === lastCitizen)) return;
    c.assist = { loading: true, suggestions: c.assist?.suggestions ?? [], forSeq: lastCitizen };
    this.invalidate('context');
    try {
      const r = await call(this.socket, 'assist:suggest', { conversationId: c.summary.id });
      c.assist = { loading: false, suggestions: r.suggestions, forSeq: lastCitizen, ...(r.question ? { question: r.question } : {}) };
    } catch (e) {
      c.assist = { loading: false, suggestions: [], forSeq: -1, error: (e as Error).message };
    }
    this.invalidate('context');
  }

  async transfer(id: string, to: TransferTarget, note: string): Promise<boolean> {
    return this.attempt(async () => {
      await call(this.socket, 'conversation:transfer', { conversationId: id, to, ...noteOf(note) });
      this.renderer.toast(t('toast.transferred'));
      this.afterHandOver(id);
    });
  }

  async returnToBot(id: string, code: string, note: string): Promise<boolean> {
    return this.attempt(async () => {
      await call(this.socket, 'conversation:return-to-bot', { conversationId: id, ...(code ? { code } : {}), ...noteOf(note) });
      this.renderer.toast(t('toast.returned'));
      this.afterHandOver(id);
    });
  }

  async end(id: string): Promise<boolean> {
    return this.attempt(async () => {
      applySummary(this.state, (await call(this.socket, 'conversation:end', { conversationId: id })).conversation);
      this.invalidateAll();
    });
  }

  async wrapUp(id: string, code: string, note: string): Promise<boolean> {
    return this.attempt(async () => {
      await call(this.socket, 'conversation:wrap-up', { conversationId: id, code, ...noteOf(note) });
      this.renderer.toast(t('toast.wrapped'));
      this.afterHandOver(id);
    });
  }

  /** The conversation left our hands: move on to the next one that needs us. */
  private afterHandOver(id: string): void {
    this.stopTyping();
    if (this.state.selectedId === id) {
      const next = mine(this.state).find((c) => c.summary.id !== id)?.summary.id ?? this.oldestOffer();
      this.state.selectedId = undefined;
      this.socket.volatile.emit('conversation:close-view', { conversationId: id });
      if (next) void this.select(next);
    }
    this.invalidateAll();
  }

  async loadTickets(filter: TicketFilter = this.state.ticketFilter): Promise<void> {
    this.state.ticketFilter = filter;
    await this.attempt(async () => {
      this.state.tickets = (await call(this.socket, 'tickets:list', { status: filter })).tickets;
      if (filter === 'open') this.state.openTickets = this.state.tickets.length;
    });
    this.invalidate('tickets', 'top');
  }

  async claimTicket(id: string): Promise<void> {
    try {
      const { ticket } = await call(this.socket, 'ticket:claim', { ticketId: id });
      upsertTicket(this.state, ticket);
      this.renderer.toast(t('toast.claimed', { ref: ticket.ref }));
      void this.refreshOpenTickets();
    } catch (e) {
      this.fail(e);
      void this.loadTickets();
    }
    this.invalidate('tickets', 'top');
  }

  async closeTicket(id: string, note: string): Promise<boolean> {
    return this.attempt(async () => {
      const { ticket } = await call(this.socket, 'ticket:close', { ticketId: id, ...noteOf(note) });
      upsertTicket(this.state, ticket);
      this.renderer.toast(t('toast.closed', { ref: ticket.ref }));
      void this.refreshOpenTickets();
      this.invalidate('tickets', 'top');
    });
  }

  /**
   * Creates (no id) or replaces a canned reply, and refreshes the list before resolving. Over HTTP, not the socket:
   * acknowledged socket calls are retried on their own, and a retried create would store the reply twice.
   * A refusal rejects with the service's ConsoleError, for the form to show next to the field it names.
   */
  async saveCanned(reply: { title: string; text: string; skill: string | null }, id?: string): Promise<CannedReplyView> {
    const body = { title: reply.title, text: reply.text, ...(reply.skill ? { skill: reply.skill } : {}) };
    const saved = id
      ? await request<{ reply: CannedReplyView }>(this.state.token, 'PUT', `/api/console/canned/${encodeURIComponent(id)}`, body)
      : await request<{ reply: CannedReplyView }>(this.state.token, 'POST', '/api/console/canned', body);
    await this.loadCanned();
    this.renderer.toast(t('canned.saved'));
    return saved.reply;
  }

  async deleteCanned(reply: CannedReplyView): Promise<void> {
    await request<void>(this.state.token, 'DELETE', `/api/console/canned/${encodeURIComponent(reply.id)}`);
    await this.loadCanned();
    this.renderer.toast(t('canned.deleted', { title: reply.title }));
  }

  async loadNavigators(): Promise<void> {
    await this.attempt(async () => {
      this.state.navigators = (await call(this.socket, 'navigators:list', {})).navigators;
      this.invalidate('team');
    });
  }

  focusComposer(): void {
    requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>('#composer-input')?.focus());
  }

  signOut(notice?: string, callServer = true): void {
    clearInterval(this.ticker);
    if (callServer) void logout(this.state.token);
    this.socket.removeAllListeners();
    this.socket.disconnect();
    clearSession();
    this.onSignedOut(notice);
  }
}

/** A short sound-free attention cue: the tab title blinks while an offer waits in a background tab. */
function notifyOffer(): void {
  if (document.visibilityState === 'visible') return;
  const original = document.title;
  document.title = `● ${original}`;
  const restore = () => {
    document.title = original;
    document.removeEventListener('visibilitychange', restore);
  };
  document.addEventListener('visibilitychange', restore);
}
