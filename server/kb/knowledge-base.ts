import type {
  Calendar, Department, Faq, Policy, Question, Scenario, ServiceItem, SynonymGroup, Theme,
} from './schema.ts';

/** One entry of the jieba user dictionary: a term the segmenter must keep whole. */
export interface UserDictEntry {
  word: string;
  freq?: number;
  tag?: string;
}

/** A problem found in a knowledge-base file, precise enough for an editor to fix it. */
export interface KbIssue {
  /** Path relative to the knowledge-base root, e.g. "items/residence-permit/residence-permit-first.yaml". */
  file: string;
  /** 1-based line of the offending value, when known. */
  line?: number;
  /** Dotted path of the field, e.g. "materials.3.when". */
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

/** The whole knowledge base, loaded and validated; immutable once built. */
export interface KnowledgeBase {
  /** sha256 over every file's path and content: caches (search index, guides) key on it. */
  readonly hash: string;
  /** Absolute path of the knowledge-base root. */
  readonly root: string;
  readonly loadedAt: string;
  readonly items: readonly ServiceItem[];
  readonly itemsById: ReadonlyMap<string, ServiceItem>;
  readonly policies: readonly Policy[];
  readonly policiesById: ReadonlyMap<string, Policy>;
  readonly faqs: readonly Faq[];
  readonly faqsById: ReadonlyMap<string, Faq>;
  readonly themes: readonly Theme[];
  readonly themesById: ReadonlyMap<string, Theme>;
  readonly departments: readonly Department[];
  readonly departmentsById: ReadonlyMap<string, Department>;
  readonly questionLibrary: ReadonlyMap<string, Question>;
  readonly calendar: Calendar;
  /** Each group's first term is canonical. */
  readonly synonyms: readonly SynonymGroup[];
  readonly scenarios: readonly Scenario[];
  readonly userDict: readonly UserDictEntry[];
  /**
   * Where each item, policy, FAQ and scenario came from (relative file path), for error messages and admin
   * views. Keyed by item id; policies, FAQs and scenarios as `policy:<id>`, `faq:<id>`, `scenario:<id>`.
   */
  readonly sourceFiles: ReadonlyMap<string, string>;
}
