import type { KbIssue, KnowledgeBase } from './knowledge-base.ts';

/**
 * An issue about a field of a service item, for validators: `field` is the dotted path inside the
 * item file (e.g. "materials.2.when"); the loader adds the line.
 */
export function itemIssue(
  kb: KnowledgeBase, itemId: string, field: string, message: string, severity: KbIssue['severity'] = 'error',
): KbIssue {
  const item = kb.itemsById.get(itemId);
  const file = kb.sourceFiles.get(itemId) ?? (item ? `items/${item.theme}/${item.id}.yaml` : `items/${itemId}`);
  return { file, field, message, severity };
}
