/** Every id that points at another value must name one that exists. */
import type { KbContent } from '../content.ts';
import type { FieldPath } from '../issues.ts';
import type { ContentIndex } from '../index-content.ts';
import type { KbFileKind } from '../layout.ts';
import type { Origin, Reporter } from '../reporter.ts';

export function checkReferences(content: KbContent, index: ContentIndex, report: Reporter): void {
  const ref = (at: Origin, field: FieldPath, id: string, target: ReadonlyMap<string, unknown>, kind: KbFileKind, noun: string, where: string) => {
    if (target.has(id) || content.incomplete.has(kind)) return;
    report.error(at, field, `unknown ${noun} "${id}" (not defined in ${where})`);
  };
  const theme = (at: Origin, field: FieldPath, id: string) => ref(at, field, id, index.themes, 'themes', 'theme', 'themes.yaml');
  const item = (at: Origin, field: FieldPath, id: string) => ref(at, field, id, index.items, 'item', 'service item', 'items/');

  for (const { value: d, at } of content.departments) d.themes.forEach((t, i) => theme(at, ['themes', i], t));
  for (const { value: p, at } of content.policies) p.themes.forEach((t, i) => theme(at, ['themes', i], t));
  for (const { value: f, at } of content.faqs) {
    theme(at, ['theme'], f.theme);
    f.items.forEach((id, i) => item(at, ['items', i], id));
  }
  for (const { value: s, at } of content.scenarios) {
    s.items.forEach((id, i) => item(at, ['items', i], id));
    s.faqs.forEach((id, i) => ref(at, ['faqs', i], id, index.faqs, 'faqs', 'FAQ', 'faqs/'));
  }
  for (const { value: it, at } of content.items) {
    ref(at, ['department'], it.department, index.departments, 'departments', 'department', 'departments.yaml');
    theme(at, ['theme'], it.theme);
    it.legalBasis.forEach((lb, i) => {
      if (lb.policy) ref(at, ['legalBasis', i, 'policy'], lb.policy, index.policies, 'policies', 'policy', 'policies/');
    });
    it.questions.forEach((q, i) => {
      if ('ref' in q) ref(at, ['questions', i, 'ref'], q.ref, index.questions, 'questions', 'library question', 'questions.yaml');
    });
  }
}
