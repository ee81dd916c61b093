/** Indexes every kind of value by id, reporting duplicate ids (each duplicate names the first). */
import type { Entry, KbContent } from './content.ts';
import type { Department, Faq, Policy, Question, Scenario, ServiceItemFile, Theme } from './schema.ts';
import type { Reporter } from './reporter.ts';

export interface ContentIndex {
  themes: Map<string, Entry<Theme>>;
  departments: Map<string, Entry<Department>>;
  questions: Map<string, Entry<Question>>;
  items: Map<string, Entry<ServiceItemFile>>;
  policies: Map<string, Entry<Policy>>;
  faqs: Map<string, Entry<Faq>>;
  scenarios: Map<string, Entry<Scenario>>;
}

export function indexContent(content: KbContent, report: Reporter): ContentIndex {
  return {
    themes: byId(content.themes, 'theme', report),
    departments: byId(content.departments, 'department', report),
    questions: byId(content.questions, 'library question', report),
    items: byId(content.items, 'service item', report),
    policies: byId(content.policies, 'policy', report),
    faqs: byId(content.faqs, 'FAQ', report),
    scenarios: byId(content.scenarios, 'scenario', report),
  };
}

function byId<T extends { id: string }>(entries: readonly Entry<T>[], noun: string, report: Reporter): Map<string, Entry<T>> {
  const map = new Map<string, Entry<T>>();
  for (const entry of entries) {
    const first = map.get(entry.value.id);
    if (first) report.error(entry.at, ['id'], `duplicate ${noun} id "${entry.value.id}" (first defined at ${report.where(first.at, ['id'])})`);
    else map.set(entry.value.id, entry);
  }
  return map;
}
