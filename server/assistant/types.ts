/**
 * Seams between the assistant (dialogue policy), the conversation layer (handoff) and the HTTP/realtime entry points.
 *
 *   HTTP /api/chat ─┐
 *   socket citizen ─┴─> ChatPipeline.handle ──> (conversation service: persist, route to navigator or bot)
 *                                                   └─> Assistant.reply ──(needs a person)──> HandoffPort.requestHandoff
 *
 * The assistant itself persists nothing about the transcript and never decides who owns a conversation.
 */
import type { ChatReply, Lang } from './reply.ts';

export interface AssistantInput {
  sessionId: string;
  message: string;
  lang?: Lang;
}

/**
 * Receives answer text as it is produced (streaming); the final ChatReply still carries the whole answer.
 * `reset` means: discard the text streamed so far (a model answer failed its checks), the replacement follows.
 */
export type DeltaListener = (chunk: string, meta?: { reset?: boolean }) => void;

export interface Assistant {
  reply(input: AssistantInput, onDelta?: DeltaListener): Promise<ChatReply>;
}

export interface HandoffRequest {
  sessionId: string;
  /** Why: "user-request", "low-confidence", "personal-record", "complaint", ... */
  reason: string;
  lang: Lang;
  /** Service item discussed, which picks the navigator skill. */
  itemId?: string;
  /** The assistant's confidence in its last answer. */
  confidence: number;
  /** A short summary for the navigator. */
  summary: string;
  /** Situational answers given so far (questionId → optionId). */
  situation?: Record<string, string>;
}

export type HandoffState = 'queued' | 'offered' | 'with-navigator' | 'after-hours' | 'ticket' | 'unavailable';

/** What the citizen is told about the handoff. */
export interface HandoffInfo {
  state: HandoffState;
  /** 1-based queue position while queued. */
  position?: number;
  /** Honest wait range in minutes while queued. */
  waitMinutes?: { min: number; max: number };
  navigatorName?: string;
  /** After hours: when the service opens again (ISO time). */
  opensAt?: string;
  /** Ticket reference number once a message was left. */
  ticketRef?: string;
  /** Recommended department for an after-hours ticket. */
  department?: { id: string; name: string; hotline?: string };
}

export interface HandoffPort {
  requestHandoff(request: HandoffRequest): Promise<HandoffInfo>;
}

export interface ChatInput {
  /** Omitted on the first turn: a new session is created. */
  sessionId?: string;
  message: string;
  lang?: Lang;
  /** Client-generated id making a send idempotent. */
  clientId?: string;
}

/** What the entry points call. The default pipeline is the assistant alone; the conversation service wraps it. */
export interface ChatPipeline {
  handle(input: ChatInput, onDelta?: DeltaListener): Promise<ChatReply>;
}
