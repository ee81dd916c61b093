/**
 * Collects issues while a knowledge base loads. Checks report a file and a field path; line numbers
 * are looked up once at the end, parsing again only the files that have something to report.
 */
import type { KbIssue } from './knowledge-base.ts';
import { fieldOf, pathOf, type FieldPath } from './issues.ts';
import { LineLocator } from './yaml-file.ts';

/** Where a value was read from: its file and its path inside that file. */
export interface Origin {
  readonly file: string;
  readonly path: FieldPath;
  /** Known up front for line-based files (the user dictionary). */
  readonly line?: number;
}

interface Pending {
  severity: KbIssue['severity'];
  file: string;
  path: FieldPath;
  message: string;
  line: number | undefined;
}

export class Reporter {
  private readonly pending: Pending[] = [];
  private readonly locators = new Map<string, LineLocator>();
  private errorCount = 0;

  /** @param sourceOf the text of a YAML file of the knowledge base, for line lookups */
  constructor(private readonly sourceOf: (file: string) => string | undefined) {}

  error(at: Origin, field: FieldPath, message: string): void {
    this.add('error', at.file, [...at.path, ...field], message, at.line);
  }

  warning(at: Origin, field: FieldPath, message: string): void {
    this.add('warning', at.file, [...at.path, ...field], message, at.line);
  }

  add(severity: KbIssue['severity'], file: string, path: FieldPath, message: string, line?: number): void {
    if (severity === 'error') this.errorCount++;
    this.pending.push({ severity, file, path, message, line });
  }

  /** Issues from a validator, which give the field as a dotted path and usually no line. */
  addIssue(issue: KbIssue): void {
    this.add(issue.severity, issue.file, pathOf(issue.field), issue.message, issue.line);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** `file:line` of a value, for messages that point at a second place. */
  where(at: Origin, field: FieldPath = []): string {
    const line = at.line ?? this.lineOf(at.file, [...at.path, ...field]);
    return line === undefined ? at.file : `${at.file}:${line}`;
  }

  lineOf(file: string, path: FieldPath): number | undefined {
    let locator = this.locators.get(file);
    if (!locator) {
      const text = file.endsWith('.yaml') ? this.sourceOf(file) : undefined;
      if (text === undefined) return undefined;
      locator = new LineLocator(text);
      this.locators.set(file, locator);
    }
    return locator.lineOf(path);
  }

  issues(): KbIssue[] {
    return this.pending.map((p) => {
      const line = p.line ?? this.lineOf(p.file, p.path);
      return { file: p.file, ...(line === undefined ? {} : { line }), field: fieldOf(p.path), message: p.message, severity: p.severity };
    });
  }
}
