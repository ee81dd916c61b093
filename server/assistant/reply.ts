/**
 * The shape of one assistant reply, shared by POST /api/chat, the streaming form, the widget,
 * the console and the eval runner. Keep it stable: clients depend on it.
 */
export const REPLY_STATUSES = ['answered', 'clarify', 'checklist', 'handoff', 'out_of_scope', 'refused'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export type Lang = 'zh' | 'en';

export interface Citation {
  /** Service item, policy or FAQ id. */
  id: string;
  kind: 'item' | 'policy' | 'faq';
  title: string;
  url: string;
  /** Last-updated date of the cited source, YYYY-MM-DD. */
  updatedAt: string;
}

/** A quick reply: a clarify choice or a checklist answer. Sending `value` as the next message picks it. */
export interface ReplyOption {
  id: string;
  label: string;
  value: string;
}

export interface ChatReply {
  sessionId: string;
  status: ReplyStatus;
  /** Text with light markdown (paragraphs, **bold**, "- " lists, [links](url)). */
  answer: string;
  citations: Citation[];
  options?: ReplyOption[];
  /** 0..1: how sure the assistant is that it understood and answered the question. */
  confidence: number;
  suggestions: string[];
  lang: Lang;
  /** Why the reply has its status (e.g. "aspect:materials", "emergency", "personal-record", "low-confidence"). */
  intent?: string;
  /** The service item the conversation is about, when known. */
  item?: { id: string; title: string };
  /** Present while a situational checklist is running or when it is complete. */
  checklist?: unknown;
  /** Present when status is handoff: what happened and the queue state. */
  handoff?: unknown;
}
