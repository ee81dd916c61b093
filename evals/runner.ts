/**
 * One eval run: plays the selected cases, measures retrieval on their first questions, runs the baselines and
 * the optional LLM judge, and decides the gate.
 */
import type { EvalClient } from './client.ts';
import { retrievalTargets, runCase, type CaseResult } from './drive.ts';
import { runBaselines, type BaselineResult } from './baselines.ts';
import { judgeWithLlm, type JudgeConfig, type JudgeVerdict } from './llm-judge.ts';
import { groupRates, rankOf, summarize, type Rates, type Summary } from './metrics.ts';
import type { LoadedCase } from './schema.ts';

export interface RunOptions {
  cases: readonly LoadedCase[];
  client: EvalClient;
  /** Which split(s) the cases come from, for the report. */
  split: string;
  filters?: { kind?: string; theme?: string };
  minResolution: number;
  maxWrong: number;
  /** Run the retrieval baselines (needs the in-process retriever for Daoban's own legs). */
  baselines: boolean;
  /** Play the cases (false: baselines only). */
  conversations?: boolean;
  judge?: JudgeConfig;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface EvalReport {
  startedAt: string;
  durationMs: number;
  target: string;
  kbHash: string;
  split: string;
  filters: { kind?: string; theme?: string };
  thresholds: { minResolution: number; maxWrong: number };
  summary: Summary;
  bySplit: Record<string, Rates>;
  baselines?: BaselineResult[];
  llm?: { model: string; reviewed: number; verified: number; verifiedResolutionRate: number | null; verdicts: JudgeVerdict[] };
  gate: { pass: boolean; reasons: string[] };
  results: CaseResult[];
}

export async function runEval(o: RunOptions): Promise<EvalReport> {
  const started = Date.now();
  const results: CaseResult[] = [];
  const ranks: number[] = [];
  const play = o.conversations !== false;
  const steps = (play ? o.cases.length : 0) + (o.baselines ? 1 : 0) + (o.judge ? 1 : 0);
  let done = 0;

  if (play) {
    for (const c of o.cases) {
      o.onProgress?.(done, steps, c.id);
      results.push(await runCase(o.client, c));
      const targets = retrievalTargets(c);
      if (targets.length && c.turns[0]?.say) ranks.push(rankOf(await o.client.rank(c.turns[0].say), targets));
      done++;
    }
  }

  let baselines: BaselineResult[] | undefined;
  if (o.baselines) {
    o.onProgress?.(done, steps, 'baselines');
    const queries = o.cases.flatMap((c) => {
      const targets = retrievalTargets(c);
      return targets.length && c.turns[0]?.say ? [{ q: c.turns[0].say, targets }] : [];
    });
    baselines = await runBaselines(o.client.kb, o.client.retriever, queries);
    done++;
  }

  let llm: EvalReport['llm'];
  if (o.judge) {
    o.onProgress?.(done, steps, 'LLM judge');
    const verdicts: JudgeVerdict[] = [];
    for (const r of results.filter((x) => x.resolved)) verdicts.push(await judgeWithLlm(o.judge, o.client.kb, r));
    const verified = verdicts.filter((v) => v.pass).length;
    const inScope = results.filter((r) => r.inScope).length;
    llm = { model: o.judge.model, reviewed: verdicts.length, verified, verifiedResolutionRate: inScope ? verified / inScope : null, verdicts };
    done++;
  }
  o.onProgress?.(steps, steps, 'done');

  const summary = summarize(results, ranks);
  const reasons: string[] = [];
  if (play) {
    const { resolutionRate, wrongRate } = summary.overall;
    if (resolutionRate !== null && resolutionRate < o.minResolution) reasons.push(`resolution rate ${pct(resolutionRate, 2)} (${summary.overall.resolved}/${summary.overall.inScope}) is below ${pct(o.minResolution, 2)}`);
    if (wrongRate !== null && wrongRate > o.maxWrong) reasons.push(`wrong-answer rate ${pct(wrongRate, 2)} (${summary.overall.wrong}/${summary.overall.cases}) is above ${pct(o.maxWrong, 2)}`);
  }
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    target: o.client.target,
    kbHash: o.client.kb.hash,
    split: o.split,
    filters: o.filters ?? {},
    thresholds: { minResolution: o.minResolution, maxWrong: o.maxWrong },
    summary,
    bySplit: groupRates(results, (r) => r.split),
    ...(baselines ? { baselines } : {}),
    ...(llm ? { llm } : {}),
    gate: { pass: reasons.length === 0, reasons },
    results,
  };
}

export const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(digits)}%`);
