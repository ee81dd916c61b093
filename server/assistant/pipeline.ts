/** The default ChatPipeline: the assistant alone, creating sessions on the first turn and rejecting unknown ones. */
import { DaobanError } from '../errors/catalogue.ts';
import type { DaobanAssistant } from './assistant.ts';
import type { ChatInput, ChatPipeline, DeltaListener } from './types.ts';
import type { ChatReply } from './reply.ts';

export function createAssistantPipeline(assistant: DaobanAssistant): ChatPipeline {
  return {
    async handle(input: ChatInput, onDelta?: DeltaListener): Promise<ChatReply> {
      let sessionId = input.sessionId;
      if (sessionId === undefined) sessionId = (await assistant.sessions.create(input.lang ?? 'zh')).id;
      else if (!(await assistant.sessions.get(sessionId))) throw DaobanError.create('UNKNOWN_SESSION', sessionId);
      return assistant.reply({ sessionId, message: input.message, ...(input.lang ? { lang: input.lang } : {}) }, onDelta);
    },
  };
}
