/** The leave-a-message form and the 好差评 rating form shown in the widget's dock. */
import type { I18n } from '../shared/i18n.ts';
import type { LeaveMessageInput, RatingScore } from '../shared/protocol-client.ts';
import { h } from './dom.ts';

export interface UserInfo { name?: string; phone?: string; email?: string }

export function leaveMessageForm(opts: {
  i18n: I18n;
  user: UserInfo;
  question?: string;
  onSubmit: (input: LeaveMessageInput) => Promise<void>;
  onCancel?: () => void;
}): HTMLElement {
  const t = opts.i18n.t;
  const field = (label: string, input: HTMLInputElement | HTMLTextAreaElement) => h('label', {}, label, input);
  const name = h('input', { name: 'name', autocomplete: 'name', value: opts.user.name ?? '' });
  const phone = h('input', { name: 'phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel', value: opts.user.phone ?? '' });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', value: opts.user.email ?? '' });
  const question = h('textarea', { name: 'question', rows: 3, required: true });
  question.value = opts.question ?? '';
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn' }, t('form.submit'));
  const form = h('form', { 'aria-label': t('form.title') },
    field(t('form.name'), name), field(t('form.phone'), phone), field(t('form.email'), email), field(t('form.question'), question), error,
    h('div', { class: 'row' }, submit, opts.onCancel ? h('button', { type: 'button', class: 'btn ghost', onclick: () => opts.onCancel?.() }, t('form.cancel')) : null),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!phone.value.trim() && !email.value.trim()) {
      error.textContent = t('form.contactRequired');
      error.hidden = false;
      phone.focus();
      return;
    }
    error.hidden = true;
    submit.disabled = true;
    const input: LeaveMessageInput = {
      ...(name.value.trim() ? { name: name.value.trim() } : {}),
      ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
      ...(email.value.trim() ? { email: email.value.trim() } : {}),
      ...(question.value.trim() ? { question: question.value.trim() } : {}),
    };
    opts.onSubmit(input).catch((err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
      error.hidden = false;
      submit.disabled = false;
    });
  });
  return h('section', { class: 'leave', 'aria-label': t('form.title') }, h('h3', {}, t('form.title')), form);
}

export function ratingForm(opts: { i18n: I18n; onSubmit: (score: RatingScore, comment?: string) => Promise<void> }): HTMLElement {
  const t = opts.i18n.t;
  let score: RatingScore | undefined;
  const buttons = (['good', 'average', 'bad'] as const).map((s) => h('button', {
    type: 'button', 'aria-pressed': 'false', 'data-score': s,
    onclick: () => {
      score = s;
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.score === s));
      submit.disabled = false;
    },
  }, t(`rating.${s}`)));
  const comment = h('textarea', { name: 'comment', rows: 2 });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn', disabled: true }, t('rating.submit'));
  const form = h('form', { 'aria-label': t('rating.title') },
    h('div', { class: 'scores', role: 'group', 'aria-label': t('rating.title') }, ...buttons),
    h('label', {}, t('rating.comment'), comment), error, h('div', { class: 'row' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!score) return;
    submit.disabled = true;
    opts.onSubmit(score, comment.value.trim() || undefined).catch((err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
      error.hidden = false;
      submit.disabled = false;
    });
  });
  return h('section', { class: 'rating', 'aria-label': t('rating.title') }, h('h3', {}, t('rating.title')), form);
}
