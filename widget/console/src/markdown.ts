/**
 * The bot's light markdown (paragraphs, **bold**, "- " lists, [links](url)) rendered as DOM nodes.
 * Only http(s) links become anchors; everything else stays text.
 */
import { h } from './dom.ts';

const INLINE = /\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

function inline(text: string): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    if (m[1] !== undefined) {
      out.push(h('strong', {}, m[1]));
    } else {
      const label = m[2] ?? '';
      const url = m[3] ?? '';
      out.push(/^https?:\/\//i.test(url) ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label) : document.createTextNode(m[0]));
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

export function renderMarkdown(source: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const block of source.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (!lines.length) continue;
    if (lines.every((l) => /^\s*(?:[-*]|\d+[.、])\s+/.test(l))) {
      const ordered = /^\s*\d/.test(lines[0]!);
      const list = h(ordered ? 'ol' : 'ul');
      for (const l of lines) list.appendChild(h('li', {}, inline(l.replace(/^\s*(?:[-*]|\d+[.、])\s+/, ''))));
      frag.appendChild(list);
      continue;
    }
    const p = h('p');
    lines.forEach((l, i) => {
      if (i > 0) p.appendChild(h('br'));
      for (const n of inline(l)) p.appendChild(n);
    });
    frag.appendChild(p);
  }
  return frag;
}
