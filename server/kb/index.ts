/**
 * The knowledge-base capability: load and validate `knowledge-base/`, and keep the current version
 * serving while editors change it.
 */
export type { KbIssue, KnowledgeBase, UserDictEntry } from './knowledge-base.ts';
export { loadKnowledgeBase, type KbValidator, type LoadOptions, type LoadResult } from './load.ts';
export { countKnowledgeBase, type KbCounts } from './counts.ts';
export { formatIssue, formatIssues, hasErrors, sortIssues, countBySeverity } from './issues.ts';
export { itemIssue } from './validator-helpers.ts';
export {
  createKnowledgeBaseHolder, KnowledgeBaseInvalidError,
  type KnowledgeBaseHolder, type HolderOptions, type ReloadResult, type KbStatus, type KbLogger,
} from './holder.ts';
