/**
 * loadKnowledgeBase: read every file of the layout, validate each against its schema, cross-check
 * the whole, then run the extra validators other capabilities plug in. Every problem comes back as
 * a KbIssue; the knowledge base itself only when there is no error.
 */
import path from 'node:path';
import { checkCalendar, isValidTimeZone } from './checks/calendar.ts';
import { checkDates, isoDateIn } from './checks/dates.ts';
import { checkItems, checkLibrary } from './checks/items.ts';
import { checkReferences } from './checks/references.ts';
import { checkDictionary, checkSynonyms } from './checks/synonyms.ts';
import { emptyContent, type KbContent } from './content.ts';
import { countContent, type KbCounts } from './counts.ts';
import { indexContent, type ContentIndex } from './index-content.ts';
import { sortIssues } from './issues.ts';
import type { KbIssue, KnowledgeBase } from './knowledge-base.ts';
import { listKnowledgeBase, REQUIRED_FILES } from './layout.ts';
import { readAndParseFiles, readTextIfAny } from './read-files.ts';
import { Reporter } from './reporter.ts';
import { ValuePool } from './value-pool.ts';
import { resolveQuestion } from './resolve-questions.ts';
import type { Question, ServiceItem } from './schema.ts';

/**
 * A further check over a loaded knowledge base (e.g. the guides' reachability analysis). It reports
 * `file` and a dotted `field`; the loader fills in the line when the issue has none.
 */
export type KbValidator = (kb: KnowledgeBase) => KbIssue[];

export interface LoadOptions {
  validators?: readonly KbValidator[];
  /** "Today" for date checks (default: the current time). */
  now?: Date;
}

export interface LoadResult {
  /** Present only when no error-severity issue was found. */
  kb?: KnowledgeBase;
  /** Errors first, then warnings. */
  issues: KbIssue[];
  /** sha256 of the files read (also when invalid). */
  hash: string;
  /** What could be read, also when the knowledge base is invalid. */
  counts: KbCounts;
}

const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export async function loadKnowledgeBase(root: string, options: LoadOptions = {}): Promise<LoadResult> {
  const absRoot = path.resolve(root);
  const now = options.now ?? new Date();
  let listing;
  try {
    listing = await listKnowledgeBase(absRoot);
  } catch (e) {
    const message = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `the knowledge-base directory ${absRoot} does not exist` : (e as Error).message;
    return { issues: [{ file: '.', field: '', message, severity: 'error' }], hash: '', counts: countContent(emptyContent()) };
  }
  const present = new Set(listing.files.map((f) => f.rel));
  // A file is read again for the line of an issue: the load does not keep the texts.
  const report = new Reporter((file) => (present.has(file) ? readTextIfAny(path.join(absRoot, file)) : undefined));

  for (const rel of listing.unexpected) {
    report.add('warning', rel, [], 'not part of the knowledge-base layout (see server/kb/schema.ts); ignored', undefined);
  }
  for (const rel of REQUIRED_FILES) if (!present.has(rel)) report.add('error', rel, [], 'missing: every knowledge base needs this file');

  const pool = new ValuePool();
  const { content, hash } = await readAndParseFiles(absRoot, listing.files, report, pool);
  const index = indexContent(content, report);
  const timezone = content.calendar && isValidTimeZone(content.calendar.value.timezone) ? content.calendar.value.timezone : DEFAULT_TIMEZONE;
  checkLibrary(content, report);
  checkReferences(content, index, report);
  checkItems(content, index, report);
  checkDates(content, index, isoDateIn(now, timezone), report);
  if (content.calendar) checkCalendar(content.calendar, report);
  checkSynonyms(content, report);
  checkDictionary(content, report);

  const counts = countContent(content);
  if (report.hasErrors || !content.calendar) return { issues: sortIssues(report.issues()), hash, counts };

  const kb = buildKnowledgeBase(content, index, pool, { hash, root: absRoot, loadedAt: new Date().toISOString() });
  for (const validator of options.validators ?? []) {
    try {
      for (const issue of validator(kb)) report.addIssue(issue);
    } catch (e) {
      report.add('error', '.', [], `validator ${validator.name || '(anonymous)'} failed: ${(e as Error).message}`);
    }
  }
  const issues = sortIssues(report.issues());
  return report.hasErrors ? { issues, hash, counts } : { kb, issues, hash, counts };
}

function buildKnowledgeBase(
  content: KbContent, index: ContentIndex, pool: ValuePool, meta: { hash: string; root: string; loadedAt: string },
): KnowledgeBase {
  const questionLibrary = new Map<string, Question>(content.questions.map((e) => [e.value.id, e.value]));
  const items: ServiceItem[] = content.items.map(({ value }) => ({
    ...value,
    // A library question resolves to a new object per item: the pool makes the equal ones one again.
    questions: pool.share(value.questions.map((q) => resolveQuestion(q, questionLibrary)!)),
  }));
  const sourceFiles = new Map<string, string>();
  for (const e of content.items) sourceFiles.set(e.value.id, e.at.file);
  for (const e of content.policies) sourceFiles.set(`policy:${e.value.id}`, e.at.file);
  for (const e of content.faqs) sourceFiles.set(`faq:${e.value.id}`, e.at.file);
  for (const e of content.scenarios) sourceFiles.set(`scenario:${e.value.id}`, e.at.file);
  const values = <T>(entries: readonly { value: T }[]) => entries.map((e) => e.value);
  return deepFreeze({
    ...meta,
    items,
    itemsById: new Map(items.map((it) => [it.id, it])),
    policies: values(content.policies),
    policiesById: new Map([...index.policies].map(([id, e]) => [id, e.value])),
    faqs: values(content.faqs),
    faqsById: new Map([...index.faqs].map(([id, e]) => [id, e.value])),
    themes: values(content.themes),
    themesById: new Map([...index.themes].map(([id, e]) => [id, e.value])),
    departments: values(content.departments),
    departmentsById: new Map([...index.departments].map(([id, e]) => [id, e.value])),
    questionLibrary,
    calendar: content.calendar!.value,
    synonyms: values(content.synonyms),
    scenarios: values(content.scenarios),
    userDict: values(content.dict),
    sourceFiles,
  });
}

/** Arrays and plain objects become read-only (Maps are exposed as ReadonlyMap). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Map)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
