/**
 * The checklist card under a completed checklist answer: the materials, time limit and fees from the saved
 * checklist (GET /api/checklists/:id), with print (the service's print page) and share (the system share
 * sheet, or the link copied).
 */
import type { I18n } from '../shared/i18n.ts';
import { h, icon, ICONS } from './dom.ts';

interface LocalText { text: string; zh?: string }
interface ChecklistJson {
  lang: 'zh' | 'en';
  item: { title: LocalText; updatedAt: string };
  materials: Array<{ name: LocalText; formLabel: string; copiesLabel: string }>;
  timeLimit: LocalText;
  fees: LocalText;
  locations: Array<{ name: string; address: string }>;
  citation: string;
}
interface SnapshotJson { lang: 'zh' | 'en'; checklists: Record<'zh' | 'en', ChecklistJson> }

/** The share link (…/checklists/ID) in a checklist answer, if any. */
export function checklistLink(text: string): { id: string; url: string } | undefined {
  const m = /\((https?:\/\/[^\s)]+\/checklists\/([A-Za-z0-9_-]+))\)/.exec(text) ?? /(https?:\/\/\S+\/checklists\/([A-Za-z0-9_-]+))/.exec(text);
  return m ? { url: m[1]!, id: m[2]! } : undefined;
}

export function checklistCard(opts: {
  i18n: I18n;
  lang: 'zh' | 'en';
  serverUrl: string;
  link: { id: string; url: string };
  toast: (text: string) => void;
}): HTMLElement {
  const { i18n, link } = opts;
  const t = i18n.t;
  const printUrl = `${opts.serverUrl}/checklists/${encodeURIComponent(link.id)}?lang=${opts.lang}`;
  const body = h('div', { class: 'body' }, h('p', {}, t('status.connecting')));
  const title = h('h3', {}, t('checklist.title'));
  const print = h('button', {
    type: 'button', class: 'btn', 'data-action': 'print',
    onclick: () => {
      window.open(printUrl, '_blank', 'noopener');
    },
  }, icon(ICONS.print, 18), ' ', t('checklist.print'));
  const share = h('button', {
    type: 'button', class: 'btn ghost', 'data-action': 'share',
    onclick: async () => {
      const shareUrl = `${opts.serverUrl}/checklists/${encodeURIComponent(link.id)}`;
      try {
        if (navigator.share) await navigator.share({ title: title.textContent ?? '', url: shareUrl });
        else {
          await navigator.clipboard.writeText(shareUrl);
          opts.toast(t('checklist.copied'));
        }
      } catch {
        opts.toast(shareUrl);
      }
    },
  }, icon(ICONS.share, 18), ' ', t('checklist.share'));
  const card = h('section', { class: 'card', 'aria-label': t('checklist.title') }, title, body, h('div', { class: 'actions' }, print, share));

  fetch(`${opts.serverUrl}/api/checklists/${encodeURIComponent(link.id)}`)
    .then((r) => (r.ok ? (r.json() as Promise<SnapshotJson>) : Promise.reject(new Error(String(r.status)))))
    .then((snap) => {
      const c = snap.checklists[opts.lang] ?? snap.checklists[snap.lang];
      title.textContent = `${t('checklist.title')} · ${c.item.title.text}`;
      body.replaceChildren(
        h('h4', {}, t('checklist.materials')),
        h('ol', {}, ...c.materials.map((m) => h('li', {}, m.name.text, ' ', h('small', {}, `${m.formLabel} · ${m.copiesLabel}`)))),
        h('h4', {}, t('checklist.timeLimit')), h('p', {}, c.timeLimit.text),
        h('h4', {}, t('checklist.fees')), h('p', {}, c.fees.text),
        ...(c.locations[0] ? [h('h4', {}, t('checklist.where')), h('p', {}, `${c.locations[0].name}${c.lang === 'en' ? ': ' : '：'}${c.locations[0].address}`)] : []),
        h('p', { class: 'cite' }, c.citation),
      );
    })
    .catch(() => {
      body.replaceChildren(h('p', {}, h('a', { href: link.url, target: '_blank', rel: 'noopener noreferrer' }, t('checklist.open'))));
    });
  return card;
}
