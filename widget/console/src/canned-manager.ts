/**
 * The canned-reply manager (Alt+C, or "管理" on the canned-replies tab): the replies this navigator sees, grouped by
 * who sees them, with create, edit and delete wherever the service lets this navigator (no controls elsewhere).
 * A native modal <dialog> like the others: focus stays inside, Escape closes, and focus goes back where it was.
 */
import type { App } from './app.ts';
import { ConsoleError } from './client.ts';
import {
  cannedFormError, groupCanned, mayCreateCanned, scopeChoices, type CannedField, type CannedFormError, type CannedGroup,
} from './canned-model.ts';
import { h, renderInto } from './dom.ts';
import { skillLabel } from './format.ts';
import { t } from './i18n.ts';
import type { CannedReplyView } from './protocol.ts';

const DIALOG_ID = 'canned-dialog';

/** The list (possibly asking to confirm one deletion), or the form for a new reply or the one being edited. */
type View = { mode: 'list'; confirming?: string } | { mode: 'form'; editing?: CannedReplyView };

/** Re-renders the open manager's list; set while it is open. */
let refreshOpen: (() => void) | undefined;

/** The replies changed (renderer region 'canned'): the open list follows; a form being filled in is left alone. */
export function refreshCannedManager(): void {
  refreshOpen?.();
}

function errorOf(err: unknown): { code: string; message: string } {
  return err instanceof ConsoleError ? err : { code: '', message: err instanceof Error ? err.message : String(err) };
}

export function openCannedManager(app: App): void {
  document.getElementById(DIALOG_ID)?.remove();
  const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : undefined;
  const openerKey = opener?.dataset.key;
  let view: View = { mode: 'list' };

  const body = h('div', { class: 'canned-manager' });
  const alert = h('p', { class: 'error', role: 'alert' });
  const dialog = h('dialog', { id: DIALOG_ID, class: 'dialog wide', 'aria-labelledby': `${DIALOG_ID}-title` },
    h('div', { class: 'dialog-form' }, h('h2', { id: `${DIALOG_ID}-title` }, t('canned.manageTitle')), alert, body));

  /** Focuses the first of the keyed controls that exists (the one a step left off at may be gone). */
  const focusFirst = (...keys: Array<string | undefined>) => {
    for (const key of keys) {
      const el = key ? body.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`) : null;
      if (el) return el.focus();
    }
  };

  const showList = (focus?: string) => {
    const groups = groupCanned(app.state.canned, app.state.me);
    renderInto(body,
      mayCreateCanned(app.state.me)
        ? h('div', { class: 'cm-toolbar' }, h('button', { type: 'button', class: 'btn primary small', 'data-key': 'cm-new', onclick: () => showForm() }, t('canned.new')))
        : null,
      h('div', { class: 'cm-scroll' }, groups.length ? groups.map((g, i) => groupNode(g, i, groups)) : h('p', { class: 'empty' }, t('canned.empty'))),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', 'data-key': 'cm-close', onclick: () => dialog.close() }, t('action.close'))));
    if (focus) focusFirst(focus, 'cm-new', 'cm-close');
  };

  const groupNode = (g: CannedGroup, i: number, groups: CannedGroup[]) => h('section', { class: 'cm-group', 'aria-labelledby': `cm-group-${i}` },
    h('h3', { id: `cm-group-${i}` }, g.skill ? t('canned.groupSkill', { skill: skillLabel(g.skill) }) : t('canned.groupShared')),
    !g.changeable && g.skill === null ? h('p', { class: 'muted small' }, t('canned.sharedReadOnly')) : null,
    h('ul', { class: 'cm-list' }, g.replies.map((r) => h('li', { class: 'cm-item', 'data-canned': r.id },
      h('div', { class: 'cm-body' }, h('span', { class: 'canned-title' }, r.title), h('span', { class: 'cm-text' }, r.text)),
      !g.changeable ? null
        : view.mode === 'list' && view.confirming === r.id ? confirmNode(r, groups)
          : h('div', { class: 'cm-actions' },
            h('button', { type: 'button', class: 'btn small', 'data-key': `cm-edit-${r.id}`, 'aria-label': t('canned.editLabel', { title: r.title }), onclick: () => showForm(r) }, t('canned.edit')),
            h('button', {
              type: 'button', class: 'btn small', 'data-key': `cm-delete-${r.id}`, 'aria-label': t('canned.deleteLabel', { title: r.title }),
              onclick: () => {
                view = { mode: 'list', confirming: r.id };
                alert.textContent = '';
                showList(`cm-keep-${r.id}`);
              },
            }, t('canned.delete')))))));

  const confirmNode = (r: CannedReplyView, groups: CannedGroup[]) => h('div', { class: 'cm-confirm', role: 'group', 'aria-labelledby': 'cm-confirm-text' },
    h('span', { id: 'cm-confirm-text', class: 'cm-confirm-text' }, t('canned.confirmDelete', { title: r.title })),
    h('button', {
      type: 'button', class: 'btn small danger', 'data-key': `cm-confirm-${r.id}`,
      onclick: async () => {
        // Focus goes to the neighbour's Edit button once the reply is gone.
        const changeable = groups.flatMap((g) => (g.changeable ? g.replies.map((x) => x.id) : []));
        const i = changeable.indexOf(r.id);
        const neighbour = changeable[i + 1] ?? changeable[i - 1];
        try {
          await app.deleteCanned(r);
          view = { mode: 'list' };
          showList(neighbour ? `cm-edit-${neighbour}` : 'cm-new');
        } catch (err) {
          view = { mode: 'list' };
          showList(`cm-delete-${r.id}`);
          alert.textContent = cannedFormError(errorOf(err)).text;
        }
      },
    }, t('canned.delete')),
    h('button', {
      type: 'button', class: 'btn small', 'data-key': `cm-keep-${r.id}`,
      onclick: () => {
        view = { mode: 'list' };
        showList(`cm-delete-${r.id}`);
      },
    }, t('canned.keep')));

  const showForm = (editing?: CannedReplyView) => {
    view = { mode: 'form', ...(editing ? { editing } : {}) };
    alert.textContent = '';
    const me = app.state.me;
    const scopes = scopeChoices(me, (app.state.queue?.skills ?? []).map((s) => s.skill), editing?.skill ?? null);
    const currentScope = editing ? editing.skill ?? null : scopes[0];
    const controls: Record<CannedField, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement> = {
      title: h('input', { id: 'cm-title', name: 'title', type: 'text', maxlength: 40, autocomplete: 'off', 'aria-describedby': 'cm-title-error' }),
      text: h('textarea', { id: 'cm-text', name: 'text', rows: 5, maxlength: 2000, 'aria-describedby': 'cm-text-error' }),
      skill: h('select', { id: 'cm-skill', name: 'skill', 'aria-describedby': 'cm-skill-error' },
        scopes.map((s) => h('option', { value: s ?? '', selected: s === currentScope }, s ? skillLabel(s) : t('canned.groupShared')))),
    };
    controls.title.value = editing?.title ?? '';
    controls.text.value = editing?.text ?? '';
    const fieldErrors: Record<CannedField, HTMLElement> = {
      title: h('p', { id: 'cm-title-error', class: 'error field-error' }),
      text: h('p', { id: 'cm-text-error', class: 'error field-error' }),
      skill: h('p', { id: 'cm-skill-error', class: 'error field-error' }),
    };
    const formError = h('p', { class: 'error', role: 'alert' });
    const save = h('button', { type: 'submit', class: 'btn primary', 'data-key': 'cm-save' }, t('canned.save'));
    const back = () => showList(editing ? `cm-edit-${editing.id}` : 'cm-new');

    const showError = (e: CannedFormError) => {
      for (const f of ['title', 'text', 'skill'] as const) {
        fieldErrors[f].textContent = f === e.field ? e.text : '';
        if (f === e.field) controls[f].setAttribute('aria-invalid', 'true');
        else controls[f].removeAttribute('aria-invalid');
      }
      formError.textContent = e.field ? '' : e.text;
      // The field's error is its description: focusing it reads the message out.
      if (e.field) controls[e.field].focus();
    };

    const form = h('form', { class: 'cm-form', novalidate: true, 'aria-labelledby': 'cm-form-title' },
      h('h3', { id: 'cm-form-title' }, editing ? t('canned.editTitle') : t('canned.newTitle')),
      h('label', { for: 'cm-title' }, t('canned.fieldTitle')), controls.title, fieldErrors.title,
      h('label', { for: 'cm-text' }, t('canned.fieldText')), controls.text, fieldErrors.text,
      h('label', { for: 'cm-skill' }, t('canned.fieldScope')), controls.skill, fieldErrors.skill,
      formError,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'btn', 'data-key': 'cm-cancel', onclick: () => { view = { mode: 'list' }; back(); } }, t('action.cancel')),
        save));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      save.disabled = true;
      app.saveCanned({ title: controls.title.value, text: controls.text.value, skill: controls.skill.value || null }, editing?.id).then((saved) => {
        view = { mode: 'list' };
        showList(`cm-edit-${saved.id}`);
      }, (err: unknown) => {
        save.disabled = false;
        showError(cannedFormError(errorOf(err)));
      });
    });
    renderInto(body, form);
    controls.title.focus();
  };

  refreshOpen = () => {
    if (view.mode === 'list') showList();
  };
  dialog.addEventListener('close', () => {
    refreshOpen = undefined;
    dialog.remove();
    const again = opener?.isConnected ? opener : openerKey ? document.querySelector<HTMLElement>(`[data-key="${CSS.escape(openerKey)}"]`) : null;
    again?.focus();
  });
  document.body.appendChild(dialog);
  showList();
  dialog.showModal();
  body.querySelector<HTMLElement>('[data-key="cm-new"], .cm-actions button, [data-key="cm-close"]')?.focus();
}
