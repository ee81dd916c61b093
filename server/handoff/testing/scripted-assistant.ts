/**
 * A small rule-based Assistant for exercising the conversation service before (and independently of) the real
 * one: asks for a person on "人工"/"person", answers residence-permit questions with a citation, clarifies otherwise.
 */
import type { ChatReply } from '../../assistant/reply.ts';
import type { Assistant, AssistantInput, DeltaListener, HandoffPort } from '../../assistant/types.ts';
import { RP_FIRST } from './fixture-kb.ts';

export class ScriptedAssistant implements Assistant {
  /** Every input the assistant saw (the bot must stay silent while a navigator holds the conversation). */
  readonly seen: AssistantInput[] = [];

  constructor(private readonly handoff: HandoffPort) {}

  async reply(input: AssistantInput, onDelta?: DeltaListener): Promise<ChatReply> {
    this.seen.push(input);
    const lang = input.lang ?? 'zh';
    const base = { sessionId: input.sessionId, lang, suggestions: [] as string[] };
    if (/人工|person|human/i.test(input.message)) {
      const handoff = await this.handoff.requestHandoff({
        sessionId: input.sessionId, reason: 'user-request', lang, itemId: RP_FIRST.id, confidence: 0.42,
        summary: '市民咨询居住证首次申领，要求人工服务。', situation: { basis: 'employment' },
      });
      return { ...base, status: 'handoff', answer: '好的，正在为您转接人工导办员。', citations: [], confidence: 0.42, intent: 'user-request', handoff };
    }
    if (input.message.includes('居住证')) {
      const answer = '首次申领居住证需要居住登记满半年，并携带居民身份证原件到派出所办理。';
      for (const chunk of [answer.slice(0, 10), answer.slice(10)]) onDelta?.(chunk);
      return {
        ...base, status: 'answered', answer, confidence: 0.9, intent: 'aspect:materials', item: { id: RP_FIRST.id, title: RP_FIRST.title },
        citations: [{ id: RP_FIRST.id, kind: 'item', title: RP_FIRST.title, url: RP_FIRST.sourceUrl, updatedAt: RP_FIRST.updatedAt }],
      };
    }
    return { ...base, status: 'clarify', answer: '请问您想办理哪项业务？', citations: [], confidence: 0.3 };
  }
}
