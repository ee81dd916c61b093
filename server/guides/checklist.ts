/**
 * Turns a flow state into what the citizen reads: questions, the checklist so far, and the final checklist
 * with its reasons, places, channels, time limit, fees and legal basis, cited to the item.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { Location, Question } from '../kb/schema.ts';
import type { FlowState } from './flow.ts';
import { materialStatus, T, type CompiledMaterial, type Guide } from './guide.ts';
import {
  appointmentText, citationText, copiesLabel, feesText, formLabel, local, onlineLevelLabel, reasonText, timeLimitText,
} from './text.ts';
import type {
  AnsweredQuestion, Checklist, ChecklistLocation, DroppedAnswer, GuideQuestion, Lang, MaterialEntry, PendingMaterial,
} from './types.ts';

export function questionView(q: Question, lang: Lang): GuideQuestion {
  return {
    id: q.id,
    text: local(q.text, q.textEn, lang),
    ...(q.help ? { help: local(q.help, q.helpEn, lang) } : {}),
    options: q.options.map((o) => ({ id: o.id, label: local(o.label, o.labelEn, lang) })),
  };
}

function optionOf(q: Question, optionId: string) {
  return q.options.find((o) => o.id === optionId);
}

export function answeredView(guide: Guide, state: FlowState, lang: Lang): AnsweredQuestion[] {
  const out: AnsweredQuestion[] = [];
  guide.questions.forEach((q, i) => {
    const oid = state.answers[i];
    const o = oid === undefined ? undefined : optionOf(q, oid);
    if (!o) return;
    out.push({ questionId: q.id, optionId: o.id, question: local(q.text, q.textEn, lang), option: local(o.label, o.labelEn, lang) });
  });
  return out;
}

export function droppedView(guide: Guide, state: FlowState, given: Readonly<Record<string, string>>, lang: Lang): DroppedAnswer[] {
  return state.dropped.map((i) => {
    const q = guide.questions[i]!;
    return { questionId: q.id, optionId: given[q.id]!, question: local(q.text, q.textEn, lang) };
  });
}

/**
 * The answers that make a material required: the smallest set (removing answers one at a time, in reverse)
 * that still settles it as required, so "A or B" with A chosen cites only A.
 */
function because(guide: Guide, m: CompiledMaterial, state: FlowState): number[] {
  const used = m.vars.filter((i) => state.answers[i] !== undefined);
  const probe = state.answers.slice();
  for (let k = used.length - 1; k >= 0; k--) {
    const i = used[k]!;
    const keep = probe[i];
    probe[i] = undefined;
    if (materialStatus(guide, m, probe).truth === T) used.splice(k, 1);
    else probe[i] = keep;
  }
  return used.sort((a, b) => a - b);
}

export function materialEntry(guide: Guide, m: CompiledMaterial, state: FlowState, lang: Lang): MaterialEntry {
  const mat = m.material;
  const reasons = because(guide, m, state).map((i) => {
    const q = guide.questions[i]!;
    return { q, o: optionOf(q, state.answers[i]!)! };
  });
  return {
    id: mat.id,
    name: local(mat.name, mat.nameEn, lang),
    form: mat.form,
    formLabel: formLabel(mat.form, lang),
    copies: mat.copies,
    copiesLabel: copiesLabel(mat.copies, lang),
    ...(mat.notes ? { notes: local(mat.notes, mat.notesEn, lang) } : {}),
    ...(mat.template ? { template: { name: mat.template.name, url: mat.template.url } } : {}),
    reason: reasonText(reasons.map(({ o }) => (lang === 'en' ? (o.labelEn ?? o.label) : o.label)), lang),
    because: reasons.map(({ q, o }) => ({ questionId: q.id, optionId: o.id })),
  };
}

export function materialsView(guide: Guide, state: FlowState, lang: Lang): { required: MaterialEntry[]; pending: PendingMaterial[] } {
  const required: MaterialEntry[] = [];
  const pending: PendingMaterial[] = [];
  for (const m of guide.materials) {
    const s = state.statuses[m.index]!;
    if (s.truth === T) required.push(materialEntry(guide, m, state, lang));
    else if (s.open.length > 0) {
      pending.push({
        id: m.material.id,
        name: local(m.material.name, m.material.nameEn, lang),
        dependsOn: [...s.open].sort((a, b) => a - b).map((i) => guide.questions[i]!.id),
      });
    }
  }
  return { required, pending };
}

/**
 * Where to go, in the checklist's language: in English the knowledge base's English name and address with the
 * Chinese beside them (what the signs and a taxi driver read), and its English hours, directions and note.
 */
function locationView(l: Location, lang: Lang): ChecklistLocation {
  const beside = (zh: string, en: string | undefined) => {
    const { text, zh: original } = local(zh, en, lang);
    return original ? `${text} (${original})` : text;
  };
  return {
    name: beside(l.name, l.nameEn), address: beside(l.address, l.addressEn),
    ...(l.district ? { district: l.district } : {}), ...(l.phone ? { phone: l.phone } : {}),
    hours: local(l.hours, l.hoursEn, lang).text,
    ...(l.transit ? { transit: local(l.transit, l.transitEn, lang).text } : {}), ...(l.note ? { note: local(l.note, l.noteEn, lang).text } : {}),
  };
}

export function buildChecklist(kb: KnowledgeBase, guide: Guide, state: FlowState, lang: Lang): Checklist {
  const item = guide.item;
  const dept = kb.departmentsById.get(item.department);
  return {
    lang,
    item: {
      id: item.id,
      title: local(item.title, item.titleEn, lang),
      ...(dept ? { department: local(dept.name, dept.nameEn, lang) } : {}),
      summary: local(item.summary, item.summaryEn, lang),
      updatedAt: item.updatedAt,
      ...(item.effectiveAt ? { effectiveAt: item.effectiveAt } : {}),
      sourceUrl: item.sourceUrl,
    },
    answers: answeredView(guide, state, lang),
    materials: materialsView(guide, state, lang).required,
    eligibility: item.conditions.map((c, i) => local(c, item.conditionsEn[i], lang)),
    process: item.process.map((p) => ({
      title: local(p.title, p.titleEn, lang),
      ...(p.detail ? { detail: local(p.detail, p.detailEn, lang) } : {}),
    })),
    locations: item.locations.map((l) => locationView(l, lang)),
    online: {
      level: onlineLevelLabel(item.online.level, lang),
      ...(item.online.jingtong ? { jingtong: item.online.jingtong } : {}),
      ...(item.online.url ? { url: item.online.url } : {}),
      ...(item.online.note ? { note: local(item.online.note, item.online.noteEn, lang) } : {}),
    },
    ...(item.appointment
      ? {
          appointment: {
            required: item.appointment.required,
            channels: [...item.appointment.channels],
            ...(item.appointment.note ? { note: item.appointment.note } : {}),
            text: appointmentText(item.appointment.required, item.appointment.channels, lang),
          },
        }
      : {}),
    timeLimit: timeLimitText(item.timeLimit, lang),
    fees: feesText(item.fees, lang),
    legalBasis: item.legalBasis.map((b) => {
      const policy = b.policy ? kb.policiesById.get(b.policy) : undefined;
      return {
        title: b.title,
        ...(b.clause ? { clause: b.clause } : {}),
        ...(b.policy ? { policyId: b.policy } : {}),
        ...(policy ? { url: policy.url } : {}),
      };
    }),
    ...(item.contact ? { contact: { ...item.contact } } : {}),
    citation: citationText(item.title, item.titleEn, item.updatedAt, item.sourceUrl, lang),
  };
}
