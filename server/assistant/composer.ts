/** The composer seam: turns the extractive answer and its sources into the final text (LLM), or keeps it. */
import type { Faq, Policy, ServiceItem } from '../kb/schema.ts';
import type { Aspect } from './aspects.ts';
import type { Citation, Lang } from './reply.ts';
import type { DeltaListener } from './types.ts';

export interface ComposeRequest {
  question: string;
  lang: Lang;
  aspect?: Aspect;
  /** The extractive answer: the fallback, and the facts the model must keep. */
  extractive: { answer: string; citations: Citation[] };
  /** The retrieved sources the answer may use and cite; nothing else. */
  sources: ReadonlyArray<ServiceItem | Faq | Policy>;
}

export interface ComposeResult {
  answer: string;
  citations: Citation[];
  via: 'llm' | 'extractive';
  /** Why the extractive answer was used: "timeout", "error", "figures:15,30", "citations:x". */
  fallback?: string;
  /** Whether the answer was already sent through the delta listener. */
  streamed: boolean;
}

export interface AnswerComposer {
  compose(request: ComposeRequest, onDelta?: DeltaListener): Promise<ComposeResult>;
}
