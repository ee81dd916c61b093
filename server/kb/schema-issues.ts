/**
 * Turns zod issues into editor-friendly problems: one per offending field, with a path and a plain
 * message. Union failures (a question or its `{ ref }` form; the condition forms) are reported from
 * the alternative the author evidently meant, not as zod's generic "Invalid input".
 */
import type { z } from 'zod/v4';
import type { FieldPath } from './issues.ts';

export interface SchemaProblem {
  path: FieldPath;
  message: string;
}

type Issue = z.core.$ZodIssue;

export function schemaProblems(issues: readonly Issue[], base: FieldPath = []): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const issue of issues) collect(issue, base, out);
  return out;
}

function collect(issue: Issue, base: FieldPath, out: SchemaProblem[]): void {
  const path = [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  switch (issue.code) {
    case 'invalid_union': {
      const branch = likeliestBranch(issue.errors);
      if (branch) for (const inner of branch) collect(inner, path, out);
      else out.push({ path, message: 'does not match any allowed form' });
      return;
    }
    case 'unrecognized_keys':
      for (const key of issue.keys) out.push({ path: [...path, key], message: 'is not a known field' });
      return;
    case 'invalid_type':
      out.push({ path, message: isMissing(issue) ? 'is required' : `must be ${article(issue.expected)}` });
      return;
    case 'invalid_value':
      out.push({ path, message: `must be one of: ${issue.values.map((v) => String(v)).join(', ')}` });
      return;
    default:
      out.push({ path, message: issue.message.replace(/^Invalid input: /, '') });
  }
}

function isMissing(issue: Issue): boolean {
  return / received undefined$/.test(issue.message);
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** The alternative with the fewest signs of being the wrong shape (unknown keys, missing keys), then the fewest issues. */
function likeliestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestScore = Infinity;
  for (const branch of branches) {
    const shape = branch.filter((i) => i.path.length <= 1 && (i.code === 'unrecognized_keys' || (i.code === 'invalid_type' && isMissing(i))))
      .length + branch.filter((i) => i.path.length === 0 && i.code === 'invalid_type').length * 2;
    const score = shape * 1000 + branch.length;
    if (score < bestScore) {
      bestScore = score;
      best = branch;
    }
  }
  return best;
}
