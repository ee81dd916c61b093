import type { KbIssue } from './knowledge-base.ts';

/** A path into a parsed YAML file: map keys and sequence indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** `file:line field: message` — the one format used by the CLI, logs and startup errors. */
export function formatIssue(issue: KbIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return issue.field ? `${where} ${issue.field}: ${issue.message}` : `${where}: ${issue.message}`;
}

export function hasErrors(issues: readonly KbIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

export function countBySeverity(issues: readonly KbIssue[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const i of issues) if (i.severity === 'error') errors++;
  return { errors, warnings: issues.length - errors };
}

/** Errors first, then warnings; within each, by file and line. */
export function sortIssues(issues: readonly KbIssue[]): KbIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}

/** Every issue, one per line (errors, then warnings). */
export function formatIssues(issues: readonly KbIssue[]): string {
  return sortIssues(issues).map((i) => `${i.severity === 'warning' ? 'warning: ' : ''}${formatIssue(i)}`).join('\n');
}

export function fieldOf(path: FieldPath): string {
  return path.join('.');
}

/** The inverse of fieldOf: numeric segments become sequence indexes. */
export function pathOf(field: string): FieldPath {
  if (!field) return [];
  return field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
