/**
 * The assistant: dialogue policy, composers and session context. Entry points call a ChatPipeline; the default
 * pipeline is the assistant alone (createAssistantPipeline), the conversation service wraps it.
 */
export { createAssistant, describeHandoff, type AssistantDeps, type DaobanAssistant, type GuidesPort, type ChecklistSharer, type ChecklistState } from './assistant.ts';
export { createAssistantPipeline } from './pipeline.ts';
export { createLlmComposer, type LlmComposerOptions } from './compose-llm.ts';
export type { AnswerComposer, ComposeRequest, ComposeResult } from './composer.ts';
export {
  createMemorySessionStore, createSqliteSessionStore, ASSISTANT_MIGRATIONS,
  type SessionStore, type DialogueState, type MemorySessionStoreOptions, type SqliteSessionStoreOptions,
} from './session-store.ts';
export { checkFiguresIn, extractFigures, type GroundingResult } from './grounding.ts';
export { validateTranslationFigures } from './translation-figures.ts';
export { faqCitation, itemCitation, policyCitation, DEFAULT_FAQ_BASE_URL } from './citations.ts';
export { routeIntent, type RoutedIntent } from './intents.ts';
export { detectAspect, ASPECTS, type Aspect } from './aspects.ts';
export { loadTemplates, DEFAULT_PROMPTS_DIR, type Templates } from './templates.ts';
export { REPLY_STATUSES, type ChatReply, type Citation, type Lang, type ReplyOption, type ReplyStatus } from './reply.ts';
export type { Assistant, AssistantInput, ChatInput, ChatPipeline, DeltaListener, HandoffInfo, HandoffPort, HandoffRequest, HandoffState } from './types.ts';
