/**
 * The data the guides capability hands out: questions to ask, the evolving checklist, the final checklist
 * and its saved snapshot. Everything here is plain JSON so it can cross HTTP and be stored as is.
 */
import type { MaterialForm } from '../kb/schema.ts';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** A user's answers: question id → option id. */
export type Answers = Readonly<Record<string, string>>;

/**
 * A text in the requested language. In English, `text` is the KB's English field when there is one and
 * `zh` carries the Chinese original beside it (citizens show the Chinese at the counter); when the KB has
 * no English, `text` is the Chinese and `zh` is absent.
 */
export interface LocalText {
  text: string;
  zh?: string;
}

export interface GuideOption {
  id: string;
  label: LocalText;
}

export interface GuideQuestion {
  id: string;
  text: LocalText;
  help?: LocalText;
  options: GuideOption[];
}

export interface GuideQuestions {
  itemId: string;
  title: LocalText;
  updatedAt: string;
  questions: GuideQuestion[];
}

/** An accepted answer, in words. */
export interface AnsweredQuestion {
  questionId: string;
  optionId: string;
  question: LocalText;
  option: LocalText;
}

/** An answer that was given but no longer applies (its question cannot change the checklist any more). */
export interface DroppedAnswer {
  questionId: string;
  optionId: string;
  question: LocalText;
}

export interface MaterialEntry {
  id: string;
  name: LocalText;
  form: MaterialForm;
  /** "原件及复印件" / "Original and photocopy". */
  formLabel: string;
  copies: number;
  /** "1份" / "1 copy". */
  copiesLabel: string;
  notes?: LocalText;
  template?: { name: string; url: string };
  /** Why it is required: "所有申请人均需提交" or "因为您选择了'委托他人代办'". */
  reason: string;
  /** The answers that made it required (empty when it is always required). */
  because: Array<{ questionId: string; optionId: string }>;
}

export interface PendingMaterial {
  id: string;
  name: LocalText;
  /** The unanswered questions whose answers decide it. */
  dependsOn: string[];
}

export interface Evaluation {
  itemId: string;
  lang: Lang;
  /** The next question to ask; absent when the checklist is complete. */
  next?: GuideQuestion;
  answered: AnsweredQuestion[];
  dropped: DroppedAnswer[];
  materials: { required: MaterialEntry[]; pending: PendingMaterial[] };
  complete: boolean;
  /** The full checklist, once every question that matters is answered. */
  checklist?: Checklist;
}

export interface ChecklistLocation {
  name: string;
  address: string;
  district?: string;
  phone?: string;
  hours: string;
  transit?: string;
  note?: string;
}

/** Everything a citizen needs to take to the window, cited to the item it came from. */
export interface Checklist {
  lang: Lang;
  item: {
    id: string;
    title: LocalText;
    department?: LocalText;
    summary: LocalText;
    updatedAt: string;
    effectiveAt?: string;
    sourceUrl: string;
  };
  answers: AnsweredQuestion[];
  materials: MaterialEntry[];
  /** 申请条件. */
  eligibility: LocalText[];
  process: Array<{ title: LocalText; detail?: LocalText }>;
  locations: ChecklistLocation[];
  online: { level: string; jingtong?: string; url?: string; note?: LocalText };
  appointment?: { required: boolean; channels: string[]; note?: string; text: string };
  timeLimit: LocalText;
  fees: LocalText;
  legalBasis: Array<{ title: string; clause?: string; policyId?: string; url?: string }>;
  contact?: { phone?: string; hotline?: string; note?: string };
  /** "依据：北京市居住证首次申领（更新于 2026-09-15）". */
  citation: string;
}

/** A saved checklist: enough to show exactly the same checklist later, and to tell which item version it came from. */
export interface ChecklistSnapshot {
  /** Unguessable share id (128 random bits, base64url). */
  id: string;
  itemId: string;
  itemUpdatedAt: string;
  kbHash: string;
  answers: Record<string, string>;
  /** The language it was made in (the share page's default). */
  lang: Lang;
  /** The rendered checklist in both languages, so the share page never depends on today's KB. */
  checklists: Record<Lang, Checklist>;
  createdAt: string;
}

export type NewChecklistSnapshot = Omit<ChecklistSnapshot, 'id' | 'createdAt'>;
