/**
 * The printable checklist page: plain server-rendered HTML with print CSS, no JavaScript, every value
 * escaped. It renders a saved snapshot, so it shows the checklist exactly as it was made.
 */
import type { Checklist, ChecklistSnapshot, Lang, LocalText } from './types.ts';

const UI = {
  zh: {
    htmlLang: 'zh-CN',
    pageTitle: '办事材料清单',
    brand: '导办 · 北京市政务服务办事指引',
    made: (at: string, v: string) => `清单生成于 ${at}，依据事项版本（更新于 ${v}）`,
    situation: '您的情形',
    noSituation: '本事项无需选择情形',
    materials: '需要准备的材料',
    colName: '材料名称',
    colForm: '形式',
    colCopies: '份数',
    colNotes: '说明',
    colWhy: '为什么需要',
    template: '下载样表',
    eligibility: '申请条件',
    process: '办理流程',
    where: '办理地点',
    address: '地址',
    hours: '办公时间',
    phone: '电话',
    transit: '交通',
    online: '网上办理',
    onlineLevel: '网办程度',
    jingtong: '京通入口',
    appointment: '预约',
    timeLimit: '办理时限',
    fees: '收费',
    legal: '办理依据',
    contact: '咨询电话',
    hotline: '服务热线',
    share: '本清单链接',
    print: '请使用浏览器的“打印”功能（Ctrl+P 或 ⌘+P）打印本页。',
    disclaimer: '本清单根据您选择的情形生成，仅供参考；请以办理窗口的最终要求为准。',
    separator: '：',
  },
  en: {
    htmlLang: 'en',
    pageTitle: 'Document checklist',
    brand: 'Daoban · Beijing government services guide',
    made: (at: string, v: string) => `Checklist made on ${at}, from the service guide version of ${v}`,
    situation: 'Your situation',
    noSituation: 'No situational questions for this service',
    materials: 'Documents to bring',
    colName: 'Document',
    colForm: 'Form',
    colCopies: 'Copies',
    colNotes: 'Notes',
    colWhy: 'Why it is needed',
    template: 'Download the form',
    eligibility: 'Who can apply',
    process: 'Steps',
    where: 'Where to apply',
    address: 'Address',
    hours: 'Opening hours',
    phone: 'Phone',
    transit: 'Getting there',
    online: 'Applying online',
    onlineLevel: 'Online service',
    jingtong: 'In the Jingtong app',
    appointment: 'Appointment',
    timeLimit: 'Time limit',
    fees: 'Fees',
    legal: 'Legal basis',
    contact: 'Enquiries',
    hotline: 'Hotline',
    share: 'Link to this checklist',
    print: 'Use your browser’s Print command (Ctrl+P or ⌘+P) to print this page.',
    disclaimer: 'This checklist was made from the situation you chose and is for reference; the service window’s requirements prevail.',
    separator: ': ',
  },
} as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only absolute http(s) links become anchors; anything else is shown as text. */
function link(url: string, label: string): string {
  if (!/^https?:\/\/[^\s"'<>]+$/i.test(url)) return escapeHtml(label);
  // A link whose text is its address needs no "(address)" after it on paper.
  return `<a href="${escapeHtml(url)}"${label === url ? ' class="bare"' : ''}>${escapeHtml(label)}</a>`;
}

function t(x: LocalText): string {
  return x.zh ? `${escapeHtml(x.text)} <span class="zh" lang="zh-CN">${escapeHtml(x.zh)}</span>` : escapeHtml(x.text);
}

function section(title: string, body: string): string {
  return body ? `<section><h2>${escapeHtml(title)}</h2>${body}</section>` : '';
}

const CSS = `
*{box-sizing:border-box}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;color:#111;margin:0 auto;max-width:60rem;padding:1.5rem;line-height:1.6;font-size:16px}
header{border-bottom:3px solid #b5121b;margin-bottom:1rem}
.brand{color:#b5121b;font-weight:600;margin:0}
h1{font-size:1.6rem;margin:.3rem 0}
h2{font-size:1.2rem;border-left:4px solid #b5121b;padding-left:.5rem;margin:1.4rem 0 .6rem}
.meta,.zh{color:#444}
.zh{font-size:.9em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:.4rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}
td.box{width:1.8rem;text-align:center;font-size:1.2rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dt{font-weight:600}
dd{margin:0}
.screen-only{background:#fff8e1;border:1px solid #f0c36d;padding:.5rem .8rem;border-radius:4px}
footer{margin-top:2rem;border-top:1px solid #999;padding-top:.6rem;font-size:.9rem;color:#333}
@page{size:A4;margin:15mm}
@media print{
  body{padding:0;max-width:none;font-size:11pt}
  .screen-only{display:none}
  h2{break-after:avoid}
  tr,section>dl,li{break-inside:avoid}
  a{color:#000;text-decoration:none}
  a[href]:not(.bare)::after{content:" (" attr(href) ")";font-size:.85em;word-break:break-all}
}`;

export interface PrintPageOptions {
  /** The checklist's share link, printed at the bottom so a paper copy leads back to it. */
  shareUrl?: string;
}

export function renderChecklistPage(snapshot: ChecklistSnapshot, lang: Lang = snapshot.lang, options: PrintPageOptions = {}): string {
  const ui = UI[lang];
  const c: Checklist = snapshot.checklists[lang];
  const sep = ui.separator;
  const dl = (rows: Array<[string, string | undefined]>) => {
    const shown = rows.filter((r): r is [string, string] => Boolean(r[1]));
    return shown.length ? `<dl>${shown.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>` : '';
  };

  const situation = c.answers.length
    ? `<ul>${c.answers.map((a) => `<li>${t(a.question)}${/[?？]$/.test(a.question.zh ?? a.question.text) ? ' ' : escapeHtml(sep)}<strong>${t(a.option)}</strong></li>`).join('')}</ul>`
    : `<p>${escapeHtml(ui.noSituation)}</p>`;

  const materials = `<table><thead><tr><th></th><th>${escapeHtml(ui.colName)}</th><th>${escapeHtml(ui.colForm)}</th><th>${escapeHtml(ui.colCopies)}</th><th>${escapeHtml(ui.colNotes)}</th><th>${escapeHtml(ui.colWhy)}</th></tr></thead><tbody>${c.materials
    .map((m) => {
      const notes = [m.notes ? t(m.notes) : '', m.template ? `${escapeHtml(ui.template)}${escapeHtml(sep)}${link(m.template.url, m.template.name)}` : '']
        .filter(Boolean)
        .join('<br>');
      return `<tr><td class="box">☐</td><td>${t(m.name)}</td><td>${escapeHtml(m.formLabel)}</td><td>${escapeHtml(m.copiesLabel)}</td><td>${notes}</td><td>${escapeHtml(m.reason)}</td></tr>`;
    })
    .join('')}</tbody></table>`;

  const eligibility = c.eligibility.length ? `<ul>${c.eligibility.map((e) => `<li>${t(e)}</li>`).join('')}</ul>` : '';
  const process = c.process.length
    ? `<ol>${c.process.map((p) => `<li><strong>${t(p.title)}</strong>${p.detail ? `<br>${t(p.detail)}` : ''}</li>`).join('')}</ol>`
    : '';
  const where = c.locations
    .map(
      (l) =>
        `<h3>${escapeHtml(l.name)}</h3>${dl([
          [ui.address, escapeHtml(`${l.district ? `${l.district} ` : ''}${l.address}`)],
          [ui.hours, escapeHtml(l.hours)],
          [ui.phone, l.phone && escapeHtml(l.phone)],
          [ui.transit, l.transit && escapeHtml(l.transit)],
        ])}${l.note ? `<p>${escapeHtml(l.note)}</p>` : ''}`,
    )
    .join('');
  const online = dl([
    [ui.onlineLevel, escapeHtml(c.online.level)],
    [ui.jingtong, c.online.jingtong && escapeHtml(c.online.jingtong)],
    ['URL', c.online.url && link(c.online.url, c.online.url)],
    [ui.appointment, c.appointment && escapeHtml(`${c.appointment.text}${c.appointment.note ? `${lang === 'zh' ? '。' : '. '}${c.appointment.note}` : ''}`)],
  ]) + (c.online.note ? `<p>${t(c.online.note)}</p>` : '');
  const legal = c.legalBasis.length
    ? `<ul>${c.legalBasis
        .map((b) => `<li>${b.url ? link(b.url, `《${b.title}》`) : escapeHtml(`《${b.title}》`)}${b.clause ? ` ${escapeHtml(b.clause)}` : ''}</li>`)
        .join('')}</ul>`
    : '';
  const contact = c.contact
    ? dl([
        [ui.phone, c.contact.phone && escapeHtml(c.contact.phone)],
        [ui.hotline, c.contact.hotline && escapeHtml(c.contact.hotline)],
      ]) + (c.contact.note ? `<p>${escapeHtml(c.contact.note)}</p>` : '')
    : '';

  return `<!doctype html>
<html lang="${ui.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(`${ui.pageTitle} · ${c.item.title.text}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<p class="brand">${escapeHtml(ui.brand)}</p>
<h1>${t(c.item.title)}</h1>
<p class="meta">${c.item.department ? `${t(c.item.department)} · ` : ''}${escapeHtml(ui.made(snapshot.createdAt.slice(0, 10), snapshot.itemUpdatedAt))}</p>
</header>
<p class="screen-only">${escapeHtml(ui.print)}</p>
<main>
${section(ui.situation, situation)}
${section(ui.materials, materials)}
${section(ui.eligibility, eligibility)}
${section(ui.where, where)}
${section(ui.online, online)}
${section(ui.process, process)}
${section(ui.timeLimit, `<p>${t(c.timeLimit)}</p>`)}
${section(ui.fees, `<p>${t(c.fees)}</p>`)}
${section(ui.legal, legal)}
${section(ui.contact, contact)}
</main>
<footer>
<p>${escapeHtml(c.citation)}</p>
<p>${escapeHtml(ui.disclaimer)}</p>
${options.shareUrl ? `<p>${escapeHtml(ui.share)}${escapeHtml(sep)}${escapeHtml(options.shareUrl)}</p>` : ''}
</footer>
</body>
</html>
`;
}
