/** Modal forms (native <dialog>: focus trapped, Esc closes): transfer, return to bot, wrap-up, close ticket, shortcuts. */
import type { App } from './app.ts';
import { h } from './dom.ts';
import { skillLabel } from './format.ts';
import { lang, t } from './i18n.ts';
import type { TicketView } from './protocol.ts';

function modal(id: string, title: string, body: HTMLElement[], submitLabel: string | undefined, onSubmit?: (form: HTMLFormElement) => Promise<boolean>): HTMLDialogElement {
  document.getElementById(id)?.remove();
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = submitLabel ? h('button', { type: 'submit', class: 'btn primary', id: `${id}-submit` }, submitLabel) : null;
  const form = h('form', { method: 'dialog', class: 'dialog-form' },
    h('h2', { id: `${id}-title` }, title),
    body,
    error,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'btn', value: 'cancel', onclick: () => dialog.close() }, submitLabel ? t('action.cancel') : t('action.close')),
      submit));
  const dialog = h('dialog', { id, class: 'dialog', 'aria-labelledby': `${id}-title` }, form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!onSubmit || !submit) return;
    submit.disabled = true;
    onSubmit(form).then((ok) => {
      submit.disabled = false;
      if (ok) dialog.close();
    }, (err: unknown) => {
      submit.disabled = false;
      error.textContent = String((err as Error).message);
    });
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  return dialog;
}

const codeLabel = (c: { label: string; labelEn: string }) => (lang() === 'en' ? c.labelEn : c.label);

export function openTransfer(app: App, conversationId: string): void {
  const c = app.state.conversations.get(conversationId);
  void app.loadNavigators().then(() => {
    // Neither oneself nor (a supervisor transferring from the monitor) the navigator who already has it.
    const others = app.state.navigators.filter((n) => n.id !== app.state.me.id && n.id !== c?.summary.navigatorId && n.status !== 'offline');
    const navSelect = h('select', { id: 'transfer-navigator', name: 'navigator' },
      others.map((n) => h('option', { value: n.id }, t('transfer.navOption', { name: n.name, status: t(`status.${n.status}`), load: n.load, capacity: n.capacity }))));
    const skills = (app.state.queue?.skills ?? []).map((s) => s.skill);
    const skillSelect = h('select', { id: 'transfer-skill', name: 'skill' },
      skills.map((s) => h('option', { value: s, selected: s === c?.summary.skill }, skillLabel(s))));
    const toNav = h('input', { type: 'radio', name: 'target', value: 'navigator', id: 'transfer-to-navigator', checked: others.length > 0, disabled: others.length === 0 });
    const toSkill = h('input', { type: 'radio', name: 'target', value: 'skill', id: 'transfer-to-skill', checked: others.length === 0 });
    const sync = () => {
      navSelect.disabled = !toNav.checked;
      skillSelect.disabled = !toSkill.checked;
    };
    toNav.addEventListener('change', sync);
    toSkill.addEventListener('change', sync);
    sync();
    const note = h('textarea', { id: 'transfer-note', name: 'note', rows: 3, maxlength: 1000 });
    modal('transfer-dialog', t('transfer.title'), [
      h('fieldset', { class: 'choice' },
        h('legend', { class: 'sr-only' }, t('transfer.title')),
        h('div', { class: 'choice-row' }, toNav, h('label', { for: 'transfer-to-navigator' }, t('transfer.toNavigator'))),
        others.length ? navSelect : h('p', { class: 'muted small' }, t('transfer.noNavigators')),
        h('div', { class: 'choice-row' }, toSkill, h('label', { for: 'transfer-to-skill' }, t('transfer.toSkill'))),
        skillSelect),
      h('label', { for: 'transfer-note' }, t('transfer.note')), note,
    ], t('action.transfer'), () => app.transfer(conversationId, toNav.checked ? { navigatorId: navSelect.value } : { skill: skillSelect.value }, note.value));
    (toNav.checked ? navSelect : skillSelect).focus();
  });
}

export function openWrapUp(app: App, conversationId: string): void {
  const code = h('select', { id: 'wrap-code', name: 'code', required: true },
    h('option', { value: '' }, t('wrap.choose')),
    app.state.wrapUpCodes.map((c) => h('option', { value: c.code }, codeLabel(c))));
  const note = h('textarea', { id: 'wrap-note', name: 'note', rows: 3, maxlength: 1000 });
  modal('wrap-dialog', t('wrap.title'), [
    h('label', { for: 'wrap-code' }, t('wrap.code')), code,
    h('label', { for: 'wrap-note' }, t('wrap.note')), note,
  ], t('action.wrapUp'), () => app.wrapUp(conversationId, code.value, note.value));
  code.focus();
}

export function openReturnToBot(app: App, conversationId: string): void {
  const code = h('select', { id: 'rtb-code', name: 'code' },
    h('option', { value: '' }, t('rtb.none')),
    app.state.wrapUpCodes.map((c) => h('option', { value: c.code }, codeLabel(c))));
  const note = h('textarea', { id: 'rtb-note', name: 'note', rows: 2, maxlength: 1000 });
  modal('rtb-dialog', t('rtb.title'), [
    h('p', { class: 'muted' }, t('rtb.hint')),
    h('label', { for: 'rtb-code' }, t('rtb.code')), code,
    h('label', { for: 'rtb-note' }, t('wrap.note')), note,
  ], t('action.returnToBot'), () => app.returnToBot(conversationId, code.value, note.value));
  code.focus();
}

export function openTicketClose(app: App, ticket: TicketView): void {
  const note = h('textarea', { id: 'ticket-note', name: 'note', rows: 3, maxlength: 1000 });
  modal('ticket-dialog', t('tickets.closeTitle', { ref: ticket.ref }), [
    h('blockquote', {}, ticket.question),
    h('label', { for: 'ticket-note' }, t('tickets.closeNote')), note,
  ], t('tickets.close'), () => app.closeTicket(ticket.id, note.value));
  note.focus();
}

export function openShortcuts(app: App): void {
  const rows: Array<[string, string]> = [
    ['Alt + A', t('shortcuts.accept')],
    ['Alt + D', t('shortcuts.decline')],
    ['Enter', t('shortcuts.send')],
    ['Alt + N', t('shortcuts.note')],
    ['Alt + 1…9', t('shortcuts.canned')],
    ['Alt + C', t('shortcuts.cannedManage')],
    ['Alt + S', t('shortcuts.assist')],
    ['Alt + ↑ / ↓', t('shortcuts.next')],
    ['Alt + M', t('shortcuts.focus')],
    ['Alt + Shift + 1 / 2 / 3', t('shortcuts.views')],
    ...(app.state.me.role === 'supervisor' ? [['Alt + Shift + 4', t('shortcuts.monitor')] as [string, string]] : []),
    ['?', t('shortcuts.help')],
  ];
  modal('shortcuts-dialog', t('shortcuts.title'), [
    h('table', { class: 'grid shortcuts' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, h('kbd', {}, k)), h('td', {}, v))))),
  ], undefined);
}
