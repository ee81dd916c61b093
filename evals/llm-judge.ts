/**
 * Optional LLM-as-judge, only when an OpenAI-compatible endpoint is configured (EVAL_JUDGE_BASE_URL, never the
 * default). It reviews the cases the rules resolved: is the final answer relevant, accurate and faithful to the
 * service item it cites? The report then shows a verified resolution rate beside the rule-based one.
 */
import type { KnowledgeBase } from '../server/kb/knowledge-base.ts';
import type { CaseResult } from './drive.ts';
import { sourceText } from './text.ts';

export interface JudgeConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

export interface JudgeVerdict {
  id: string;
  pass: boolean;
  reason: string;
}

export function judgeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): JudgeConfig | undefined {
  if (!env.EVAL_JUDGE_BASE_URL) return undefined;
  const timeout = Number(env.EVAL_JUDGE_TIMEOUT_MS || 20000);
  return {
    baseUrl: env.EVAL_JUDGE_BASE_URL.replace(/\/$/, ''),
    apiKey: env.EVAL_JUDGE_API_KEY || 'not-needed',
    model: env.EVAL_JUDGE_MODEL || 'gpt-4o-mini',
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 20000,
  };
}

const SYSTEM = [
  'You review answers of a government-service assistant for Beijing citizens.',
  'Given the conversation, the assistant\'s final answer and the official service item it cites (JSON), decide whether the answer',
  'addresses what the citizen asked, and whether every statement in it is supported by the service item.',
  'Reply with JSON only: {"verdict": "pass" | "fail", "reason": "<one sentence>"}.',
].join(' ');

export async function judgeWithLlm(config: JudgeConfig, kb: KnowledgeBase, result: CaseResult): Promise<JudgeVerdict> {
  const last = [...result.turns].reverse().find((t) => t.reply.status === 'answered' || t.reply.status === 'checklist');
  const itemId = last?.reply.item ?? last?.reply.citations.find((c) => c.startsWith('item:'))?.slice(5);
  const item = itemId ? kb.itemsById.get(itemId) : undefined;
  if (!last || !item) return { id: result.id, pass: false, reason: 'no answer citing a service item to review' };
  const conversation = result.turns.map((t) => `Citizen: ${t.say}`).join('\n');
  const user = `${conversation}\n\nFinal answer:\n${last.reply.answer}\n\nService item:\n${sourceText(item).slice(0, 6000)}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  try {
    const res = await fetch(`${config.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
      body: JSON.stringify({ model: config.model, temperature: 0, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: user }] }),
      signal: controller.signal,
    });
    if (!res.ok) return { id: result.id, pass: false, reason: `judge endpoint answered ${res.status}` };
    const body = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
    return parseVerdict(result.id, body.choices?.[0]?.message?.content ?? '');
  } catch (err) {
    return { id: result.id, pass: false, reason: `judge unavailable: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The verdict from the model's text: the first JSON object in it; anything unreadable is a fail. */
export function parseVerdict(id: string, content: string): JudgeVerdict {
  const json = content.match(/\{[\s\S]*\}/)?.[0];
  if (!json) return { id, pass: false, reason: `unreadable verdict: ${content.slice(0, 120)}` };
  try {
    const v = JSON.parse(json) as { verdict?: unknown; reason?: unknown };
    return { id, pass: v.verdict === 'pass', reason: typeof v.reason === 'string' ? v.reason : '' };
  } catch {
    return { id, pass: false, reason: `unreadable verdict: ${content.slice(0, 120)}` };
  }
}
