/** What a knowledge base holds, in numbers: for the CLI summary, the admin status and benches. */
import type { KbContent } from './content.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import type { Faq, Policy, Scenario, ServiceItemFile, Theme, Department } from './schema.ts';

export interface KbCounts {
  items: number;
  /** Items that ask situational questions (their checklist depends on the answers). */
  situationalItems: number;
  /** Items with an English title, summary and material names. */
  itemsWithEnglish: number;
  policies: number;
  /** General FAQs (faqs/). */
  faqs: number;
  /** FAQs inside items. */
  itemFaqs: number;
  synonymGroups: number;
  dictionaryTerms: number;
  scenarios: number;
  themes: number;
  departments: number;
  libraryQuestions: number;
}

interface Countable {
  items: readonly Pick<ServiceItemFile, 'questions' | 'titleEn' | 'summaryEn' | 'materials' | 'faqs'>[];
  policies: readonly Policy[];
  faqs: readonly Faq[];
  synonyms: readonly unknown[];
  dictionaryTerms: number;
  scenarios: readonly Scenario[];
  themes: readonly Theme[];
  departments: readonly Department[];
  libraryQuestions: number;
}

function count(c: Countable): KbCounts {
  let situationalItems = 0;
  let itemsWithEnglish = 0;
  let itemFaqs = 0;
  for (const it of c.items) {
    if (it.questions.length > 0) situationalItems++;
    if (it.titleEn && it.summaryEn && it.materials.every((m) => m.nameEn)) itemsWithEnglish++;
    itemFaqs += it.faqs.length;
  }
  return {
    items: c.items.length,
    situationalItems,
    itemsWithEnglish,
    policies: c.policies.length,
    faqs: c.faqs.length,
    itemFaqs,
    synonymGroups: c.synonyms.length,
    dictionaryTerms: c.dictionaryTerms,
    scenarios: c.scenarios.length,
    themes: c.themes.length,
    departments: c.departments.length,
    libraryQuestions: c.libraryQuestions,
  };
}

export function countKnowledgeBase(kb: KnowledgeBase): KbCounts {
  return count({ ...kb, dictionaryTerms: kb.userDict.length, libraryQuestions: kb.questionLibrary.size });
}

/** Counts of what could be read, also when the knowledge base has errors. */
export function countContent(content: KbContent): KbCounts {
  const values = <T>(entries: readonly { value: T }[]) => entries.map((e) => e.value);
  return count({
    items: values(content.items),
    policies: values(content.policies),
    faqs: values(content.faqs),
    synonyms: content.synonyms,
    dictionaryTerms: content.dict.length,
    scenarios: values(content.scenarios),
    themes: values(content.themes),
    departments: values(content.departments),
    libraryQuestions: content.questions.length,
  });
}
