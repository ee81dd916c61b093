/** Test helpers: the real knowledge base loaded once, crafted replies, and a scripted EvalClient. */
import path from 'node:path';
import { loadKnowledgeBase, type KnowledgeBase } from '../../server/kb/index.ts';
import { PROJECT_ROOT } from '../../server/config/config.ts';
import type { ChatReply } from '../../server/assistant/reply.ts';
import type { ChatRequest, EvalClient } from '../client.ts';

let cached: Promise<KnowledgeBase> | undefined;
export function realKb(): Promise<KnowledgeBase> {
  cached ??= loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base')).then(({ kb, issues }) => {
    if (!kb) throw new Error(`knowledge base does not load: ${issues.map((i) => i.message).join('; ')}`);
    return kb;
  });
  return cached;
}

export function reply(partial: Partial<ChatReply> & Pick<ChatReply, 'status'>): ChatReply {
  return { sessionId: 's1', answer: '', citations: [], confidence: 0.9, suggestions: [], lang: 'zh', ...partial };
}

export function itemCite(kb: KnowledgeBase, id: string): ChatReply['citations'][number] {
  const item = kb.itemsById.get(id)!;
  return { id, kind: 'item', title: item.title, url: item.sourceUrl, updatedAt: item.updatedAt };
}

/** A client whose replies come from a function of the message and the turn number of its session. */
export function scriptedClient(kb: KnowledgeBase, respond: (message: string, turn: number) => ChatReply): EvalClient & { requests: ChatRequest[] } {
  const turns = new Map<string, number>();
  let next = 0;
  const requests: ChatRequest[] = [];
  return {
    target: 'scripted',
    kb,
    requests,
    async chat(request) {
      requests.push(request);
      const sessionId = request.sessionId ?? `s${++next}`;
      const turn = (turns.get(sessionId) ?? 0) + 1;
      turns.set(sessionId, turn);
      return { ...respond(request.message, turn), sessionId };
    },
    async rank() {
      return [];
    },
    async close() {},
  };
}
