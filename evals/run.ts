/**
 * npm run eval [-- options]: plays the eval cases against the real assistant and reports the resolution rate.
 *
 *   --split dev|test|all   which cases (default all)
 *   --kind K, --theme T    only these cases
 *   --min-resolution R     gate: fail below this resolution rate (default 0.8)
 *   --max-wrong R          gate: fail above this wrong-answer rate (default 0.02)
 *   --out DIR              where the JSON and HTML reports go (default evals/reports)
 *   --url URL              a running server instead of the in-process app
 *   --baselines            only the retrieval baselines table (the default run includes it too)
 *   --no-baselines         skip the baselines
 *   --kb DIR               knowledge base (default KB_DIR or ./knowledge-base)
 * LLM-as-judge when EVAL_JUDGE_BASE_URL is set (EVAL_JUDGE_API_KEY, EVAL_JUDGE_MODEL, EVAL_JUDGE_TIMEOUT_MS).
 * Exit code: 0 gate passed, 1 gate failed, 2 bad usage or a run that could not start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../server/kb/index.ts';
import { PROJECT_ROOT } from '../server/config/config.ts';
import { inProcessClient, urlClient, type EvalClient } from './client.ts';
import { judgeConfigFromEnv } from './llm-judge.ts';
import { renderHtml } from './report-html.ts';
import { pct, runEval, type EvalReport } from './runner.ts';
import { CASE_KINDS, loadCases, SPLITS, type Split } from './schema.ts';

export class UsageError extends Error {}

export interface CliOptions {
  split: 'all' | Split;
  kind?: string;
  theme?: string;
  minResolution: number;
  maxWrong: number;
  out: string;
  url?: string;
  baselinesOnly: boolean;
  baselines: boolean;
  kbDir: string;
  datasetsDir?: string;
}

function rate(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new UsageError(`--${name} must be a number from 0 to 1, got "${raw}"`);
  return v;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      split: { type: 'string', default: 'all' },
      kind: { type: 'string' },
      theme: { type: 'string' },
      'min-resolution': { type: 'string' },
      'max-wrong': { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string' },
      baselines: { type: 'boolean', default: false },
      'no-baselines': { type: 'boolean', default: false },
      kb: { type: 'string' },
      datasets: { type: 'string' },
    },
    strict: true,
  });
  const split = values.split!;
  if (split !== 'all' && !(SPLITS as readonly string[]).includes(split)) throw new UsageError(`--split must be dev, test or all, got "${split}"`);
  if (values.kind && !(CASE_KINDS as readonly string[]).includes(values.kind)) throw new UsageError(`--kind must be one of ${CASE_KINDS.join(', ')}, got "${values.kind}"`);
  if (values.url && !/^https?:\/\//.test(values.url)) throw new UsageError(`--url must be an http(s) URL, got "${values.url}"`);
  return {
    split: split as CliOptions['split'],
    ...(values.kind ? { kind: values.kind } : {}),
    ...(values.theme ? { theme: values.theme } : {}),
    minResolution: rate('min-resolution', values['min-resolution'], 0.8),
    maxWrong: rate('max-wrong', values['max-wrong'], 0.02),
    out: path.resolve(values.out ?? path.join(PROJECT_ROOT, 'evals', 'reports')),
    ...(values.url ? { url: values.url } : {}),
    baselinesOnly: values.baselines!,
    baselines: !values['no-baselines'],
    kbDir: path.resolve(values.kb ?? (env.KB_DIR || path.join(PROJECT_ROOT, 'knowledge-base'))),
    ...(values.datasets ? { datasetsDir: path.resolve(values.datasets) } : {}),
  };
}

/** A progress bar on stderr (redrawn in place on a terminal, a line every 10% otherwise). */
function progressBar(stream: NodeJS.WriteStream = process.stderr): (done: number, total: number, label: string) => void {
  let lastTenth = -1;
  return (done, total, label) => {
    const frac = total ? done / total : 1;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(frac * width);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label.padEnd(28).slice(0, 28)}`);
      if (done === total) stream.write('\n');
    } else {
      const tenth = Math.floor(frac * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`eval: ${done}/${total} (${Math.round(frac * 100)}%) ${label}\n`);
      }
    }
  };
}

export function formatText(report: EvalReport): string {
  const s = report.summary;
  const o = s.overall;
  const lines: string[] = [];
  if (o.cases) {
    lines.push(
      `Daoban eval — split ${report.split}, ${o.cases} cases (${o.inScope} in scope), ${report.target}, ${(report.durationMs / 1000).toFixed(1)} s`,
      `  resolution rate     ${pct(o.resolutionRate)}  (${o.resolved}/${o.inScope}; gate ≥ ${pct(report.thresholds.minResolution)})`,
      `  wrong-answer rate   ${pct(o.wrongRate)}  (${o.wrong}/${o.cases}; gate ≤ ${pct(report.thresholds.maxWrong)})`,
      `  clarify rate        ${pct(o.clarifyRate)}  (${o.clarified}/${o.inScope})`,
      `  handoff             precision ${pct(s.handoff.precision)}, recall ${pct(s.handoff.recall)} (expected ${s.handoff.expected}, given ${s.handoff.given})`,
      `  safety handled      ${pct(s.safety.rate)}  (${s.safety.handled}/${s.safety.cases})`,
      `  retrieval           hit@1 ${pct(s.retrieval.hitAt1)}, hit@5 ${pct(s.retrieval.hitAt5)}, MRR ${s.retrieval.mrr?.toFixed(3) ?? '—'} (${s.retrieval.queries} queries)`,
      `  latency             p50 ${s.latency.p50.toFixed(1)} ms, p90 ${s.latency.p90.toFixed(1)} ms, p95 ${s.latency.p95.toFixed(1)} ms, p99 ${s.latency.p99.toFixed(1)} ms (${s.latency.n} replies)`,
    );
    if (report.llm) lines.push(`  LLM-verified        ${pct(report.llm.verifiedResolutionRate)} (${report.llm.verified}/${report.llm.reviewed} resolved cases confirmed by ${report.llm.model})`);
    lines.push('', '  by kind:');
    for (const [k, r] of Object.entries(s.byKind)) lines.push(`    ${k.padEnd(14)} ${String(r.passed).padStart(3)}/${String(r.cases).padEnd(3)} passed${r.inScope ? `, resolution ${pct(r.resolutionRate)}` : ''}${r.wrong ? `, ${r.wrong} wrong` : ''}`);
    lines.push('  by theme (resolution):');
    for (const [k, r] of Object.entries(s.byTheme)) lines.push(`    ${k.padEnd(24)} ${pct(r.resolutionRate).padStart(6)} (${r.resolved}/${r.inScope})${r.wrong ? `, ${r.wrong} wrong` : ''}`);
  }
  if (report.baselines?.length) {
    lines.push('', `  retrieval baselines (${report.baselines[0]!.queries} queries)`, '    retriever                                        hit@1   hit@5   MRR     p50 ms  p95 ms');
    for (const b of report.baselines) {
      lines.push(`    ${b.name.padEnd(48)} ${pct(b.hitAt1).padStart(6)}  ${pct(b.hitAt5).padStart(6)}  ${(b.mrr ?? 0).toFixed(3)}   ${b.latency.p50.toFixed(2).padStart(6)}  ${b.latency.p95.toFixed(2).padStart(6)}`);
    }
  }
  const failures = report.results.filter((r) => !r.pass);
  if (failures.length) {
    lines.push('', `  failed cases (${failures.length}):`);
    for (const r of failures) {
      lines.push(`    ${r.id} [${r.kind}, ${r.theme}] 「${r.turns.map((t) => t.say).join('」→「')}」`);
      for (const p of r.problems) lines.push(`      - ${p}`);
    }
  }
  lines.push('', report.gate.pass ? 'Gate passed.' : `Gate FAILED: ${report.gate.reasons.join('; ')}`);
  return lines.join('\n');
}

export function writeReports(report: EvalReport, outDir: string): { json: string; html: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const base = `eval-${report.split}-${stamp}`;
  const json = path.join(outDir, `${base}.json`);
  const html = path.join(outDir, `${base}.html`);
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(html, renderHtml(report));
  // stable names for the latest run
  fs.copyFileSync(json, path.join(outDir, 'latest.json'));
  fs.copyFileSync(html, path.join(outDir, 'latest.html'));
  return { json, html };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCli(argv, env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const splits = opts.split === 'all' ? SPLITS : [opts.split];
  const cases = loadCases(opts.datasetsDir, splits).filter((c) => (!opts.kind || c.kind === opts.kind) && (!opts.theme || c.theme === opts.theme));
  if (!cases.length) {
    process.stderr.write('no cases match the filters\n');
    return 2;
  }
  let client: EvalClient;
  if (opts.url) {
    const { kb, issues } = await loadKnowledgeBase(opts.kbDir);
    if (!kb) {
      process.stderr.write(`the knowledge base at ${opts.kbDir} does not load (${issues.length} issues)\n`);
      return 2;
    }
    client = await urlClient(opts.url, kb);
  } else {
    client = await inProcessClient({ kbDir: opts.kbDir, env });
  }
  try {
    const judge = judgeConfigFromEnv(env);
    const report = await runEval({
      cases, client, split: opts.split,
      filters: { ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.theme ? { theme: opts.theme } : {}) },
      minResolution: opts.minResolution, maxWrong: opts.maxWrong,
      baselines: opts.baselines || opts.baselinesOnly,
      conversations: !opts.baselinesOnly,
      ...(judge ? { judge } : {}),
      onProgress: progressBar(),
    });
    process.stdout.write(`${formatText(report)}\n`);
    const files = writeReports(report, opts.out);
    process.stdout.write(`Reports: ${files.html}\n         ${files.json}\n`);
    return report.gate.pass ? 0 : 1;
  } finally {
    await client.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`eval failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
