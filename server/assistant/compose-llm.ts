/**
 * The LLM composer: an OpenAI-compatible chat model (LangChain ChatOpenAI) rewrites the extractive answer from the
 * retrieved sources only. Its answer must cite only those sources and contain only figures found in them; on a
 * timeout, an error or a failed check the extractive answer is used instead, within the latency budget.
 * Streaming is released sentence by sentence, each sentence checked before it is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChatOpenAI } from '@langchain/openai';
import { SystemMessage, HumanMessage } from '@langchain/core/messages';
import { stringify } from 'yaml';
import type { Faq, Policy, ServiceItem } from '../kb/schema.ts';
import type { AnswerComposer, ComposeRequest, ComposeResult } from './composer.ts';
import { checkFiguresIn } from './grounding.ts';
import type { Citation } from './reply.ts';
import { DEFAULT_PROMPTS_DIR } from './templates.ts';
import type { DeltaListener } from './types.ts';

export interface LlmComposerOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** The whole model call, streaming included, must finish within this budget. */
  timeoutMs: number;
  promptsDir?: string;
  /** Stream the model's answer (default true when a delta listener is given). */
  stream?: boolean;
}

type Source = ServiceItem | Faq | Policy;

function isItem(s: Source): s is ServiceItem {
  return 'materials' in s;
}
function isFaq(s: Source): s is Faq {
  return 'answer' in s && 'question' in s;
}

/** One source as the model sees it: id, title, date and the structured fields as YAML. */
export function renderSource(s: Source): string {
  if (isItem(s)) {
    const { id, sourceUrl, keywords, aliasesEn, ...fields } = s;
    void keywords; void aliasesEn; void sourceUrl;
    return `[[${id}]] 办事指南：${s.title}（更新于 ${s.updatedAt}）\n${stringify(fields)}`;
  }
  if (isFaq(s)) return `[[${s.id}]] 常见问题（更新于 ${s.updatedAt}）\n问：${s.question}\n答：${s.answer}${s.answerEn ? `\nEnglish: ${s.answerEn}` : ''}`;
  return `[[${s.id}]] 政策文件：${s.title}${s.docNumber ? `（${s.docNumber}）` : ''}\n${s.summary}\n${s.clauses.map((c) => `${c.no} ${c.text}`).join('\n')}`;
}

const MARKER = /\s*\[\[([a-z0-9][a-z0-9-]*)\]\]/g;

function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(MARKER)].map((m) => m[1]!))];
}
function stripMarkers(text: string): string {
  return text.replace(MARKER, '');
}

class Rejected extends Error {}

/** End of the last complete sentence in the text (0: none yet). A "." ends a sentence only before a space. */
function lastBoundary(s: string): number {
  let cut = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if ('。！？；\n'.includes(c) || ('.!?;'.includes(c) && s[i + 1] === ' ')) cut = i + 1;
  }
  return cut;
}

export function createLlmComposer(options: LlmComposerOptions): AnswerComposer {
  const dir = options.promptsDir ?? DEFAULT_PROMPTS_DIR;
  const system = fs.readFileSync(path.join(dir, 'assistant.system.md'), 'utf8');
  const contextTemplate = fs.readFileSync(path.join(dir, 'assistant.context.md'), 'utf8');
  // @langchain/openai (~40 MB resident) is loaded only when a model is configured: from here, in the background
  let model: Promise<ChatOpenAI> | undefined;
  const chatModel = () => (model ??= import('@langchain/openai').then(({ ChatOpenAI }) => new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey,
    configuration: { baseURL: options.baseUrl },
    streamUsage: false,
    temperature: 0,
    maxRetries: 0,
    timeout: options.timeoutMs,
  })));
  chatModel().catch(() => undefined); // a failure surfaces (and falls back) on the first question

  function citationsFor(ids: string[], req: ComposeRequest): Citation[] {
    const byId = new Map(req.extractive.citations.map((c) => [c.id, c]));
    const cited = ids.map((id) => byId.get(id)).filter((c): c is Citation => !!c);
    return cited.length ? [...cited, ...req.extractive.citations.filter((c) => !ids.includes(c.id))] : req.extractive.citations;
  }

  return {
    async compose(req, onDelta) {
      const fallback = (reason: string, streamed: boolean): ComposeResult => {
        if (streamed && onDelta) {
          onDelta('', { reset: true });
          onDelta(req.extractive.answer);
        }
        return { answer: req.extractive.answer, citations: req.extractive.citations, via: 'extractive', fallback: reason, streamed: streamed && !!onDelta };
      };
      const allowed = new Set(req.sources.map((s) => s.id));
      const check = (text: string) => {
        const bad = citedIds(text).filter((id) => !allowed.has(id));
        if (bad.length) throw new Rejected(`citations:${bad.join(',')}`);
        const figures = checkFiguresIn(stripMarkers(text), req.sources, [req.question]);
        if (!figures.ok) throw new Rejected(`figures:${figures.unsupported.join(',')}`);
      };
      const messages = [
        new SystemMessage(system),
        new HumanMessage(
          contextTemplate
            .replace('{context}', req.sources.map(renderSource).join('\n\n'))
            .replace('{draft}', req.extractive.answer)
            .replace('{question}', req.question)
            .replace('{language}', req.lang === 'en' ? 'English' : '中文'),
        ),
      ];
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeoutMs);
      let sent = '';
      try {
        if (onDelta && options.stream !== false) {
          let buffer = '';
          const stream = await (await chatModel()).stream(messages, { signal: controller.signal });
          for await (const chunk of stream) {
            buffer += typeof chunk.content === 'string' ? chunk.content : '';
            // release complete sentences only, each checked first
            const cut = lastBoundary(buffer);
            if (cut > 0) {
              const ready = buffer.slice(0, cut);
              check(sent + ready);
              buffer = buffer.slice(cut);
              const out = stripMarkers(ready);
              if (out) onDelta(out);
              sent += ready;
            }
          }
          if (buffer) {
            check(sent + buffer);
            const out = stripMarkers(buffer);
            if (out) onDelta(out);
            sent += buffer;
          }
          if (!stripMarkers(sent).trim()) throw new Rejected('empty');
          return { answer: stripMarkers(sent).trim(), citations: citationsFor(citedIds(sent), req), via: 'llm', streamed: true };
        }
        const result = await (await chatModel()).invoke(messages, { signal: controller.signal });
        const text = typeof result.content === 'string' ? result.content : '';
        check(text);
        if (!stripMarkers(text).trim()) throw new Rejected('empty');
        return { answer: stripMarkers(text).trim(), citations: citationsFor(citedIds(text), req), via: 'llm', streamed: false };
      } catch (e) {
        const reason = e instanceof Rejected ? e.message : controller.signal.aborted ? 'timeout' : 'error';
        return fallback(reason, sent.length > 0);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
