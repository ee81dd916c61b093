/**
 * The extractive composer: answers written from the item's structured fields through the reply templates.
 * Deterministic and offline; every figure it writes comes from a field of the cited item.
 */
import type { Condition, Faq, ItemFaq, Material, ServiceItem } from '../kb/schema.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { feeUnitEn } from '../kb/fee-units.ts';
import type { Aspect } from './aspects.ts';
import { evaluateCondition } from './conditions.ts';
import { itemCitation, itemTitle, policyCitation } from './citations.ts';
import type { Citation, Lang } from './reply.ts';
import type { Templates } from './templates.ts';

export interface ComposeContext {
  kb: KnowledgeBase;
  lang: Lang;
  t: Templates;
  /** Situational answers known so far (questionId → optionId). */
  situation: Readonly<Record<string, string>>;
}

export interface Composed {
  answer: string;
  citations: Citation[];
}

const en = (ctx: ComposeContext) => ctx.lang === 'en';

/** An English field with the Chinese original beside it, or the Chinese alone. */
function local(ctx: ComposeContext, zh: string, english: string | undefined): string {
  return en(ctx) && english ? `${english} (${zh})` : zh;
}
function localPlain(ctx: ComposeContext, zh: string, english: string | undefined): string {
  return en(ctx) && english ? english : zh;
}

/** A fee note that only says the service is free ("Free of charge.", "不收费。"), which the free-of-charge sentence already says. */
function onlySaysFree(note: string): boolean {
  return /^\s*(?:free of charge|free|不收费|不收取费用|免费)[.。!！]?\s*$/i.test(note);
}

function optionLabel(ctx: ComposeContext, item: ServiceItem, questionId: string, optionId: string): string {
  const q = item.questions.find((x) => x.id === questionId) ?? ctx.kb.questionLibrary.get(questionId);
  const o = q?.options.find((x) => x.id === optionId);
  return o ? `“${localPlain(ctx, o.label, o.labelEn)}”` : optionId;
}

/** A condition in words: “委托他人代办” / “在京租房居住”或“在京有自有住房”. */
export function describeCondition(ctx: ComposeContext, item: ServiceItem, cond: Condition): string {
  const { t } = ctx;
  if ('all' in cond && Array.isArray(cond.all)) return (cond.all as Condition[]).map((c) => describeCondition(ctx, item, c)).join(t.raw('and_separator'));
  if ('any' in cond && Array.isArray(cond.any)) return (cond.any as Condition[]).map((c) => describeCondition(ctx, item, c)).join(t.raw('or_separator'));
  if ('not' in cond && cond.not && typeof cond.not === 'object' && !Array.isArray(cond.not)) {
    return `${t.raw('not_prefix')}${describeCondition(ctx, item, cond.not as Condition)}`;
  }
  return Object.entries(cond as Record<string, string | string[]>)
    .map(([q, want]) => (Array.isArray(want) ? want : [want]).map((o) => optionLabel(ctx, item, q, o)).join(t.raw('or_separator')))
    .join(t.raw('and_separator'));
}

function describeSituation(ctx: ComposeContext, item: ServiceItem): string {
  return Object.entries(ctx.situation)
    .filter(([q]) => item.questions.some((x) => x.id === q))
    .map(([q, o]) => optionLabel(ctx, item, q, o))
    .join(ctx.t.raw('list_separator'));
}

function formLabel(ctx: ComposeContext, m: Material): string {
  return ctx.t.text(`forms.${m.form}`);
}

function materialLine(ctx: ComposeContext, m: Material): string {
  const notes = localPlain(ctx, m.notes ?? '', m.notesEn);
  const copies = en(ctx) ? `${m.copies} ${m.copies === 1 ? 'copy' : 'copies'}` : String(m.copies);
  let line = ctx.t.text('materials_line', {
    name: local(ctx, m.name, m.nameEn),
    form: formLabel(ctx, m),
    copies,
    notes: notes ? (en(ctx) ? ` — ${notes}` : `：${notes}`) : '',
  });
  if (en(ctx)) line = line.replace(/, (\d+ cop)/, ', $1');
  if (m.template) line += ` [${m.template.name}](${m.template.url})`;
  return line;
}

export function composeMaterials(ctx: ComposeContext, item: ServiceItem): Composed & { conditional: number } {
  const { t } = ctx;
  const required: Material[] = [];
  const conditional: Material[] = [];
  for (const m of item.materials) {
    const r = m.when ? evaluateCondition(m.when, ctx.situation) : true;
    if (r === true) required.push(m);
    else if (r === undefined) conditional.push(m);
  }
  const situation = describeSituation(ctx, item);
  const title = itemTitle(item, ctx.lang);
  const lines = [situation ? t.text('materials_head_situation', { title, situation }) : t.text('materials_head', { title })];
  lines.push(...required.map((m) => materialLine(ctx, m)));
  if (conditional.length) {
    lines.push('', t.text('materials_conditional_head'));
    for (const m of conditional) {
      lines.push(t.text('materials_conditional_line', { name: local(ctx, m.name, m.nameEn), form: formLabel(ctx, m), condition: describeCondition(ctx, item, m.when!) }));
    }
  }
  return { answer: lines.join('\n'), citations: [itemCitation(item, ctx.lang)], conditional: conditional.length };
}

function days(ctx: ComposeContext, n: number, unit: string): string {
  if (!en(ctx)) return ctx.t.text('time_limit_days', { days: n, unit });
  return ctx.t.text('time_limit_days', { days: n, unit: unit === '工作日' ? (n === 1 ? 'working day' : 'working days') : n === 1 ? 'calendar day' : 'calendar days' });
}

export function composeAspect(ctx: ComposeContext, item: ServiceItem, aspect: Aspect): Composed {
  const { t, lang } = ctx;
  const title = itemTitle(item, lang);
  const cite = [itemCitation(item, lang)];
  switch (aspect) {
    case 'materials':
      return composeMaterials(ctx, item);
    case 'conditions': {
      const list = en(ctx) && item.conditionsEn.length ? item.conditionsEn : item.conditions;
      if (!list.length) return { answer: t.text('conditions_none', { title }), citations: cite };
      return { answer: [t.text('conditions_head', { title }), ...list.map((c) => `- ${c}`)].join('\n'), citations: cite };
    }
    case 'process': {
      const lines = [t.text('process_head', { title })];
      item.process.forEach((s, i) => {
        const detail = localPlain(ctx, s.detail ?? '', s.detailEn);
        lines.push(t.text('process_line', { n: i + 1, title: localPlain(ctx, s.title, s.titleEn), detail: detail ? (en(ctx) ? `: ${detail}` : `：${detail}`) : '' }));
      });
      return { answer: lines.join('\n'), citations: cite };
    }
    case 'timeLimit': {
      const tl = item.timeLimit;
      const statutory = tl.statutoryDays !== null && tl.statutoryDays !== tl.promisedDays
        ? t.text('time_limit_statutory', { days: tl.statutoryDays, unit: en(ctx) ? (tl.unit === '工作日' ? 'working days' : 'calendar days') : tl.unit })
        : '';
      const note = localPlain(ctx, tl.note ?? '', tl.noteEn);
      const answer = tl.promisedDays === 0
        ? t.text('time_limit_instant', { title, statutory, note })
        : t.text('time_limit', { title, promised: days(ctx, tl.promisedDays, tl.unit), statutory, note });
      // a note that only repeats the template ("当场办结") is dropped
      const deduped = note && answer.indexOf(note.replace(/[。.]$/, '')) !== answer.lastIndexOf(note.replace(/[。.]$/, '')) ? answer.replace(note, '') : answer;
      return { answer: deduped.trim(), citations: cite };
    }
    case 'fee': {
      const f = item.fees;
      const note = localPlain(ctx, f.note ?? '', f.noteEn);
      if (f.free || !f.items.length) {
        const free = t.text('fee_free', { title, note: onlySaysFree(note) ? '' : note });
        return { answer: (f.free ? free : `${t.text('fee_head', { title })}\n${note}`).trim(), citations: cite };
      }
      const lines = [t.text('fee_head', { title })];
      for (const fee of f.items) {
        lines.push(t.text('fee_line', {
          name: localPlain(ctx, fee.name, fee.nameEn), amount: fee.amount, unit: en(ctx) ? feeUnitEn(fee.unit) : fee.unit,
          basis: fee.basis ? (en(ctx) ? ` (basis: ${local(ctx, fee.basis, fee.basisEn)})` : `（依据：${fee.basis}）`) : '',
        }));
      }
      if (note) lines.push(note);
      return { answer: lines.join('\n'), citations: cite };
    }
    case 'where': {
      const jingtong = item.online.jingtong;
      if (!item.locations.length) {
        const online = jingtong ? t.text('where_none_jingtong', { path: jingtong }) : t.text('where_none_online');
        return { answer: t.text('where_none', { title, online }) + (item.online.url ? ` [${item.online.url}](${item.online.url})` : ''), citations: cite };
      }
      const lines = [t.text('where_head', { title })];
      for (const l of item.locations) {
        const note = l.note ? localPlain(ctx, l.note, l.noteEn) : '';
        lines.push(t.text('where_line', {
          name: local(ctx, l.name, l.nameEn), address: local(ctx, l.address, l.addressEn), hours: localPlain(ctx, l.hours, l.hoursEn),
          phone: l.phone ? (en(ctx) ? `; phone ${l.phone}` : `；电话 ${l.phone}`) : '',
          note: note ? (en(ctx) ? ` (${note})` : `（${note}）`) : '',
        }));
      }
      // a service done fully online need not be visited at all: say so beside the windows
      if (item.online.level === '全程网办' && jingtong) lines.push(t.text('where_online_too', { path: jingtong }));
      return { answer: lines.join('\n'), citations: cite };
    }
    case 'online': {
      const o = item.online;
      const answer = t.text('online', {
        title,
        level: en(ctx) ? onlineLevelEn(o.level) : o.level,
        jingtong: o.jingtong ? t.text('online_jingtong', { path: o.jingtong }) : '',
        url: o.url ? t.text('online_url', { url: o.url }) : '',
        note: localPlain(ctx, o.note ?? '', o.noteEn),
      });
      return { answer: answer.trim(), citations: cite };
    }
    case 'appointment': {
      const a = item.appointment;
      if (!a) {
        const phone = item.contact?.phone ?? item.contact?.hotline;
        return { answer: t.text('appointment_unknown', { title, contact: phone ? (en(ctx) ? `Phone: ${phone}.` : `电话：${phone}。`) : '' }).trim(), citations: cite };
      }
      const channels = a.channels.length ? t.text('appointment_channels', { channels: a.channels.join(t.raw('list_separator')) }) : '';
      return { answer: t.text(a.required ? 'appointment_required' : 'appointment_optional', { title, channels, note: a.note ?? '' }).trim(), citations: cite };
    }
    case 'legalBasis': {
      if (!item.legalBasis.length) return composeOverview(ctx, item);
      const lines = [t.text('legal_head', { title })];
      const citations = [...cite];
      for (const b of item.legalBasis) {
        const policy = b.policy ? ctx.kb.policiesById.get(b.policy) : undefined;
        const name = en(ctx) ? b.title : `《${b.title}》`;
        lines.push(t.text('legal_line', { title: policy ? `[${name}](${policy.url})` : name, clause: b.clause ? (en(ctx) ? ` (${b.clause})` : ` ${b.clause}`) : '' }));
        if (policy) citations.push(policyCitation(policy, lang));
      }
      return { answer: lines.join('\n'), citations };
    }
    case 'contact': {
      const c = item.contact;
      const phone = c?.phone ?? c?.hotline;
      if (!phone) return { answer: t.text('contact_none', { title }), citations: cite };
      const both = c?.phone && c?.hotline && c.hotline !== c.phone ? `${c.phone}${t.raw('list_separator')}${c.hotline}` : phone;
      return { answer: t.text('contact', { title, phone: `**${both}**`, note: c?.note ? (en(ctx) ? `. ${c.note}` : `。${c.note}`) : '' }), citations: cite };
    }
  }
}

function onlineLevelEn(level: string): string {
  return ({ 全程网办: 'fully online', 网上预审: 'online pre-check, then in person', 网上预约: 'book online, apply in person', 仅限窗口: 'in person only' } as Record<string, string>)[level] ?? level;
}

/** A concise overview for a general question about an item. */
export function composeOverview(ctx: ComposeContext, item: ServiceItem): Composed {
  const { t, lang } = ctx;
  const label = (k: string) => t.text(`labels.${k}`);
  const dept = ctx.kb.departmentsById.get(item.department);
  const tl = item.timeLimit;
  const facts: Array<[string, string]> = [];
  if (dept) facts.push([label('department'), localPlain(ctx, dept.name, dept.nameEn)]);
  facts.push([label('timeLimit'), tl.promisedDays === 0 ? (en(ctx) ? 'on the spot' : '即办') : days(ctx, tl.promisedDays, tl.unit)]);
  facts.push([label('fee'), item.fees.free ? (en(ctx) ? 'free' : '不收费') : item.fees.items.map((f) => `${localPlain(ctx, f.name, f.nameEn)} ${f.amount}${en(ctx) ? ` ${feeUnitEn(f.unit)}` : f.unit}`).join(t.raw('list_separator')) || localPlain(ctx, item.fees.note ?? '', item.fees.noteEn)]);
  facts.push([label('online'), en(ctx) ? onlineLevelEn(item.online.level) : item.online.level]);
  const lines = [
    t.text('overview', { title: itemTitle(item, lang), summary: localPlain(ctx, item.summary, item.summaryEn) }),
    ...facts.map(([l, v]) => t.text('overview_facts', { label: l, value: v })),
    '',
    t.text('overview_more'),
  ];
  return { answer: lines.join('\n'), citations: [itemCitation(item, lang)] };
}

/** An item FAQ answered from the item's own FAQ list. */
export function composeItemFaq(ctx: ComposeContext, item: ServiceItem, faq: ItemFaq): Composed {
  const q = localPlain(ctx, faq.q, faq.qEn);
  const a = localPlain(ctx, faq.a, faq.aEn);
  return { answer: `${ctx.t.text('faq_lead', { question: q })}\n${a}`, citations: [itemCitation(item, ctx.lang)] };
}

export function composeFaq(ctx: ComposeContext, faq: Faq, citation: Citation): Composed {
  const q = localPlain(ctx, faq.question, faq.questionEn);
  const a = localPlain(ctx, faq.answer, faq.answerEn);
  return { answer: `${ctx.t.text('faq_lead', { question: q })}\n${a}`, citations: [citation] };
}
