/**
 * The console's page skeleton: top bar, the three work views, toasts. Regions are filled by ./render.ts;
 * the composer is built once here so typing is never interrupted by a live update.
 */
import type { App } from './app.ts';
import { h } from './dom.ts';

export interface Shell {
  root: HTMLElement;
  top: HTMLElement;
  banner: HTMLElement;
  conversationsView: HTMLElement;
  offers: HTMLElement;
  mine: HTMLElement;
  queue: HTMLElement;
  header: HTMLElement;
  transcript: HTMLElement;
  typing: HTMLElement;
  composer: HTMLFormElement;
  composerInput: HTMLTextAreaElement;
  composerModes: HTMLElement;
  composerSend: HTMLButtonElement;
  composerHint: HTMLElement;
  context: HTMLElement;
  ticketsView: HTMLElement;
  teamView: HTMLElement;
  /** Supervisors' monitor: the list, and the watched conversation's header and transcript (filled by ./monitor-view.ts). */
  monitorView: HTMLElement;
  monitorList: HTMLElement;
  monitorHeader: HTMLElement;
  monitorTranscript: HTMLElement;
  toasts: HTMLElement;
  alerts: HTMLElement;
}

export function buildShell(app: App): Shell {
  const composerInput = h('textarea', { id: 'composer-input', rows: 3, maxlength: 4000 });
  const composerModes = h('div', { class: 'segmented', role: 'radiogroup' });
  const composerSend = h('button', { type: 'submit', class: 'btn primary', id: 'composer-send' });
  const composerHint = h('span', { class: 'composer-hint muted' });
  const composer = h('form', { class: 'composer', id: 'composer' },
    h('div', { class: 'composer-bar' }, composerModes, composerHint),
    h('div', { class: 'composer-row' }, composerInput, composerSend));

  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submitComposer(app, composerInput);
  });
  composerInput.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing Chinese text.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitComposer(app, composerInput);
    }
  });
  composerInput.addEventListener('input', () => {
    const c = app.selected();
    if (!c) return;
    if (app.state.noteMode) c.noteDraft = composerInput.value;
    else {
      c.draft = composerInput.value;
      app.typing();
    }
  });

  const s: Shell = {
    root: h('div', { class: 'shell' }),
    top: h('header', { class: 'topbar' }),
    banner: h('div', { class: 'banner', role: 'status', 'aria-live': 'polite' }),
    conversationsView: h('div', { class: 'workspace', id: 'view-conversations' }),
    offers: h('section', { class: 'panel-section', id: 'offers', 'aria-labelledby': 'offers-title' }),
    mine: h('section', { class: 'panel-section', id: 'mine', 'aria-labelledby': 'mine-title' }),
    queue: h('section', { class: 'panel-section', id: 'queue', 'aria-labelledby': 'queue-title' }),
    header: h('div', { class: 'conv-header', id: 'conv-header' }),
    transcript: h('div', { class: 'transcript', id: 'transcript', role: 'log', 'aria-live': 'polite', tabindex: 0 }),
    typing: h('div', { class: 'typing', 'aria-live': 'polite' }),
    composer, composerInput, composerModes, composerSend, composerHint,
    context: h('aside', { class: 'context', id: 'context' }),
    ticketsView: h('section', { class: 'page', id: 'view-tickets', 'aria-labelledby': 'tickets-title' }),
    teamView: h('section', { class: 'page', id: 'view-team', 'aria-labelledby': 'team-title' }),
    monitorView: h('section', { class: 'page monitor-page', id: 'view-monitor', 'aria-labelledby': 'monitor-title' }),
    monitorList: h('div', { class: 'monitor-list', id: 'monitor-list' }),
    monitorHeader: h('div', { class: 'conv-header', id: 'monitor-header' }),
    monitorTranscript: h('div', { class: 'transcript', id: 'monitor-transcript', role: 'log', 'aria-live': 'polite', tabindex: 0 }),
    toasts: h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' }),
    alerts: h('div', { class: 'toasts alerts', role: 'alert' }),
  };
  s.conversationsView.append(
    h('aside', { class: 'sidebar', id: 'sidebar' }, s.offers, s.mine, s.queue),
    h('section', { class: 'conversation', id: 'conversation' }, s.header, s.transcript, s.typing, s.composer),
    s.context,
  );
  s.monitorView.append(
    h('div', { class: 'page-head' },
      h('h2', { id: 'monitor-title', tabindex: -1 }),
      h('p', { class: 'muted small', id: 'monitor-hint' })),
    h('div', { class: 'monitor' },
      s.monitorList,
      h('section', { class: 'conversation monitor-pane', id: 'monitor-pane' }, s.monitorHeader, s.monitorTranscript)),
  );
  s.root.append(s.top, s.banner, h('main', { class: 'main', id: 'main' }, s.conversationsView, s.ticketsView, s.teamView, s.monitorView), h('div', { class: 'toast-stack' }, s.alerts, s.toasts));
  return s;
}

function submitComposer(app: App, input: HTMLTextAreaElement): void {
  const text = input.value;
  if (!text.trim()) return;
  const asNote = app.state.noteMode;
  const c = app.selected();
  input.value = '';
  if (c) {
    if (asNote) c.noteDraft = '';
    else c.draft = '';
  }
  void app.send(text, asNote).then((ok) => {
    if (!ok && c && !input.value) {
      // Not taken: give the text back so nothing typed is lost.
      input.value = text;
      if (asNote) c.noteDraft = text;
      else c.draft = text;
    }
  });
}
