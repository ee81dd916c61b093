/**
 * The guides service over one knowledge base: questions, step-by-step evaluation, free-text answers and
 * final checklists. Compiled guides are kept for the items asked about most recently (the knowledge base is
 * immutable; a reload makes a new service): one costs ~5 KB with its settled conditions and ~10 µs to compile
 * again, so keeping every item of a 15k knowledge base would hold ~75 MB for little.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { ServiceItem } from '../kb/schema.ts';
import { LruMap } from '../common/lru-map.ts';
import { DaobanError } from '../errors/catalogue.ts';
import { answeredView, buildChecklist, droppedView, materialsView, questionView } from './checklist.ts';
import { runFlow } from './flow.ts';
import { compileGuide, type Guide } from './guide.ts';
import { interpretOption } from './interpret.ts';
import { local } from './text.ts';
import type { Answers, Checklist, Evaluation, GuideQuestions, Lang, NewChecklistSnapshot } from './types.ts';

export interface Guides {
  /** Does the item exist and ask situational questions? */
  has(itemId: string): boolean;
  questions(itemId: string, lang?: Lang): GuideQuestions;
  /** The next question and the checklist so far; stale answers are dropped and reported. */
  evaluate(itemId: string, answers: Answers, lang?: Lang): Evaluation;
  /** Free text → option id ("我是替我爸办的" → "proxy"); undefined when unclear. */
  interpretAnswer(itemId: string, questionId: string, text: string, lang?: Lang): string | undefined;
  /** The checklist for these answers (any item, with or without questions); `complete` says whether every answer that matters is in. */
  checklist(itemId: string, answers: Answers, lang?: Lang): Checklist & { complete: boolean };
  /** Everything needed to show this checklist again later, in both languages. */
  snapshot(itemId: string, answers: Answers, lang?: Lang): NewChecklistSnapshot;
}

export interface GuidesOptions {
  /** Compiled guides kept (default 2,000). */
  maxCompiled?: number;
}

export function createGuides(kb: KnowledgeBase, options: GuidesOptions = {}): Guides {
  const cache = new LruMap<string, Guide>(options.maxCompiled ?? 2000);

  function itemOf(itemId: string): ServiceItem {
    const item = typeof itemId === 'string' ? kb.itemsById.get(itemId) : undefined;
    if (!item) throw DaobanError.create('UNKNOWN_ITEM', String(itemId), 'itemId');
    return item;
  }
  function guideOf(itemId: string, requireQuestions: boolean): Guide {
    const item = itemOf(itemId);
    if (requireQuestions && item.questions.length === 0) throw DaobanError.create('NO_GUIDE', item.id);
    let g = cache.get(item.id);
    if (!g) {
      g = compileGuide(item);
      cache.set(item.id, g);
    }
    return g;
  }

  function evaluateWith(guide: Guide, answers: Answers, lang: Lang): Evaluation {
    checkAnswers(guide, answers);
    const state = runFlow(guide, answers);
    const complete = state.next === undefined;
    return {
      itemId: guide.item.id,
      lang,
      ...(state.next !== undefined ? { next: questionView(guide.questions[state.next]!, lang) } : {}),
      answered: answeredView(guide, state, lang),
      dropped: droppedView(guide, state, answers, lang),
      materials: materialsView(guide, state, lang),
      complete,
      ...(complete ? { checklist: buildChecklist(kb, guide, state, lang) } : {}),
    };
  }

  return {
    has(itemId) {
      return (kb.itemsById.get(itemId)?.questions.length ?? 0) > 0;
    },
    questions(itemId, lang = 'zh') {
      const g = guideOf(itemId, true);
      return {
        itemId: g.item.id,
        title: local(g.item.title, g.item.titleEn, lang),
        updatedAt: g.item.updatedAt,
        questions: g.questions.map((q) => questionView(q, lang)),
      };
    },
    evaluate(itemId, answers, lang = 'zh') {
      return evaluateWith(guideOf(itemId, true), answers, lang);
    },
    interpretAnswer(itemId, questionId, text, lang = 'zh') {
      void lang; // labels and hints of both languages are matched; the parameter keeps the call self-describing
      const g = guideOf(itemId, true);
      const i = g.indexOf.get(questionId);
      if (i === undefined) throw DaobanError.create('UNKNOWN_QUESTION', questionId, g.questions.map((q) => q.id).join(', '));
      return interpretOption(g.questions[i]!, text);
    },
    checklist(itemId, answers, lang = 'zh') {
      const g = guideOf(itemId, false);
      checkAnswers(g, answers);
      const state = runFlow(g, answers);
      return { ...buildChecklist(kb, g, state, lang), complete: state.next === undefined };
    },
    snapshot(itemId, answers, lang = 'zh') {
      const g = guideOf(itemId, false);
      checkAnswers(g, answers);
      const state = runFlow(g, answers);
      const kept: Record<string, string> = {};
      g.questions.forEach((q, i) => {
        const a = state.answers[i];
        if (a !== undefined) kept[q.id] = a;
      });
      return {
        itemId: g.item.id,
        itemUpdatedAt: g.item.updatedAt,
        kbHash: kb.hash,
        answers: kept,
        lang,
        checklists: { zh: buildChecklist(kb, g, state, 'zh'), en: buildChecklist(kb, g, state, 'en') },
      };
    },
  };
}

/** Rejects answers naming questions or options the item does not have, naming the allowed values. */
export function checkAnswers(guide: Guide, answers: Answers): void {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    throw DaobanError.create('INVALID_FIELD', 'answers', 'must be an object mapping question ids to option ids');
  }
  for (const [qid, oid] of Object.entries(answers)) {
    const i = guide.indexOf.get(qid);
    if (i === undefined) {
      throw DaobanError.create('UNKNOWN_QUESTION', qid, guide.questions.map((q) => q.id).join(', ') || '(none)');
    }
    const opts = guide.options[i]!;
    if (typeof oid !== 'string') {
      throw DaobanError.create('INVALID_FIELD', `answers.${qid}`, `must be an option id (a string); allowed: ${opts.join(', ')}`);
    }
    if (!opts.includes(oid)) throw DaobanError.create('UNKNOWN_OPTION', oid, qid, qid, opts.join(', '));
  }
}
