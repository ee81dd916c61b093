/** The knowledge base as read from its files: schema-valid values with their origins, before cross-checks. */
import type {
  Calendar, Department, Faq, Policy, Question, Scenario, ServiceItemFile, SynonymGroup, Theme,
} from './schema.ts';
import type { UserDictEntry } from './knowledge-base.ts';
import type { KbFileKind } from './layout.ts';
import type { Origin } from './reporter.ts';

export interface Entry<T> {
  readonly value: T;
  readonly at: Origin;
}

export interface KbContent {
  themes: Entry<Theme>[];
  departments: Entry<Department>[];
  questions: Entry<Question>[];
  calendar: Entry<Calendar> | undefined;
  items: Entry<ServiceItemFile>[];
  policies: Entry<Policy>[];
  faqs: Entry<Faq>[];
  scenarios: Entry<Scenario>[];
  synonyms: Entry<SynonymGroup>[];
  dict: Entry<UserDictEntry>[];
  /**
   * Kinds with at least one unreadable or invalid value: references into them are not reported as
   * unknown, since the target may be the broken value.
   */
  incomplete: Set<KbFileKind>;
}

export function emptyContent(): KbContent {
  return {
    themes: [], departments: [], questions: [], calendar: undefined, items: [], policies: [], faqs: [],
    scenarios: [], synonyms: [], dict: [], incomplete: new Set(),
  };
}
