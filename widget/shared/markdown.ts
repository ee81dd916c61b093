/**
 * The assistant's light markdown (paragraphs, **bold**, "- " and "1. " lists, [links](url), bare URLs) rendered
 * as DOM nodes. Nothing in a message is ever parsed as HTML: text goes into text nodes, and only http(s) and
 * mailto/tel links become anchors (opening in a new tab, without the opener).
 *
 * Stable API (the console imports it): renderMarkdown(text, doc?) → DocumentFragment; safeHref(url).
 */

const LINK_SOURCE = /\[([^\]\n]+)\]\(([^()\s]+(?:\([^()\s]*\))?)\)|(https?:\/\/[^\s<>()（）。，；]+[^\s<>()（）。，；.,;:!?])|\*\*([^*\n]+)\*\*/g;

/** The URL if it is safe to link to (http, https, mailto, tel, or relative to the page), else undefined. */
export function safeHref(url: string, base?: string): string | undefined {
  try {
    const u = new URL(url, base ?? 'http://invalid.local/');
    if (!['http:', 'https:', 'mailto:', 'tel:'].includes(u.protocol)) return undefined;
    if (u.host === 'invalid.local') return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

function inline(doc: Document, parent: Node, text: string): void {
  let last = 0;
  const link = new RegExp(LINK_SOURCE); // a fresh global regex per call: inline() recurses for **bold**
  for (let m = link.exec(text); m; m = link.exec(text)) {
    if (m.index > last) parent.appendChild(doc.createTextNode(text.slice(last, m.index)));
    last = m.index + m[0].length;
    if (m[4] !== undefined) {
      const strong = doc.createElement('strong');
      inline(doc, strong, m[4]);
      parent.appendChild(strong);
      continue;
    }
    const label = m[1] ?? m[3]!;
    const href = safeHref(m[2] ?? m[3]!);
    if (!href) {
      parent.appendChild(doc.createTextNode(label));
      continue;
    }
    const a = doc.createElement('a');
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = label;
    parent.appendChild(a);
  }
  if (last < text.length) parent.appendChild(doc.createTextNode(text.slice(last)));
}

/** Renders light markdown into a fragment of <p>, <ul>/<ol>, <li>, <strong> and <a> elements. */
export function renderMarkdown(text: string, doc: Document = document): DocumentFragment {
  const frag = doc.createDocumentFragment();
  let list: HTMLElement | undefined;
  let para: HTMLElement | undefined;
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.trimEnd();
    const bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
    const numbered = /^\s*(\d+)[.)、]\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      para = undefined;
      const tag = bullet ? 'UL' : 'OL';
      if (!list || list.tagName !== tag) {
        list = doc.createElement(tag.toLowerCase());
        frag.appendChild(list);
      }
      const li = doc.createElement('li');
      inline(doc, li, bullet ? bullet[1]! : numbered![2]!);
      list.appendChild(li);
      continue;
    }
    list = undefined;
    if (!line.trim()) {
      para = undefined;
      continue;
    }
    if (para) para.appendChild(doc.createElement('br'));
    else {
      para = doc.createElement('p');
      frag.appendChild(para);
    }
    inline(doc, para, line);
  }
  return frag;
}

/** The text without markdown, e.g. for a notification or the avatar's subtitles. */
export function markdownToText(text: string): string {
  return text
    .replace(/\[([^\]\n]+)\]\([^)\s]+\)/g, '$1')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/^\s*[-*•]\s+/gm, '')
    .trim();
}
