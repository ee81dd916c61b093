/**
 * Situational material checklists: ask only the questions that can still change the checklist, explain
 * why each material is required, validate every guide exhaustively, print and share the result.
 */
export { createGuides, type Guides } from './guides.ts';
export { validateGuides, validateGuide } from './validate.ts';
export { renderChecklistPage, type PrintPageOptions } from './print-page.ts';
export { evaluateCondition, conditionHolds, conditionQuestions } from './conditions.ts';
export type { ChecklistStore } from '../storage/checklist-store.ts';
export { LANGS } from './types.ts';
export type {
  AnsweredQuestion, Answers, Checklist, ChecklistSnapshot, DroppedAnswer, Evaluation, GuideOption, GuideQuestion,
  GuideQuestions, Lang, LocalText, MaterialEntry, NewChecklistSnapshot, PendingMaterial,
} from './types.ts';
