/** The self-contained HTML report: figures, inline SVG charts (no scripts, no CDN), baselines and failed cases. */
import type { EvalReport } from './runner.ts';
import { pct } from './runner.ts';
import type { Rates } from './metrics.ts';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const ms = (v: number): string => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

/** Horizontal bars, one per row, values in [0, 1]; a dashed line marks the threshold. */
export function barChart(rows: Array<{ label: string; value: number | null; note?: string }>, threshold?: number, title = ''): string {
  const rowH = 22;
  const labelW = 190;
  const barW = 360;
  const h = rows.length * rowH + 30;
  const w = labelW + barW + 110;
  const bars = rows.map((r, i) => {
    const y = 20 + i * rowH;
    const v = r.value ?? 0;
    const color = r.value === null ? '#ccc' : threshold !== undefined && v < threshold ? '#d9534f' : '#2e7d32';
    return `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end" font-size="12">${esc(r.label)}</text>`
      + `<rect x="${labelW}" y="${y + 3}" width="${(barW * v).toFixed(1)}" height="${rowH - 8}" fill="${color}" rx="2"/>`
      + `<text x="${labelW + barW * v + 5}" y="${y + 14}" font-size="11" fill="#333">${r.value === null ? '—' : pct(v)}${r.note ? ` ${esc(r.note)}` : ''}</text>`;
  }).join('');
  const line = threshold !== undefined
    ? `<line x1="${labelW + barW * threshold}" y1="14" x2="${labelW + barW * threshold}" y2="${h - 6}" stroke="#555" stroke-dasharray="4 3"/><text x="${labelW + barW * threshold}" y="11" font-size="10" text-anchor="middle">${pct(threshold)}</text>`
    : '';
  return `<svg role="img" aria-label="${esc(title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">${bars}${line}</svg>`;
}

/** Grouped vertical bars: one group per series entry, one bar per metric. */
function groupedBars(groups: Array<{ label: string; values: Array<number | null> }>, metrics: string[]): string {
  const colors = ['#1565c0', '#42a5f5', '#ff8f00'];
  const gW = 120;
  const chartH = 180;
  const w = groups.length * gW + 40;
  const top = 34;
  const h = chartH + top + 50;
  const barW = (gW - 30) / metrics.length;
  const parts = groups.map((g, gi) => {
    const x0 = 30 + gi * gW;
    const bars = g.values.map((v, mi) => {
      const bh = (v ?? 0) * chartH;
      const x = x0 + mi * barW;
      return `<rect x="${x}" y="${top + chartH - bh}" width="${barW - 3}" height="${bh}" fill="${colors[mi % colors.length]}"/>`
        + `<text x="${x + (barW - 3) / 2}" y="${top - 4 + chartH - bh}" font-size="9" text-anchor="middle">${v === null ? '—' : (v * 100).toFixed(0)}</text>`;
    }).join('');
    const words = g.label.split(' ');
    const label = words.map((word, i) => `<tspan x="${x0 + (gW - 30) / 2}" dy="${i ? 11 : 0}">${esc(word)}</tspan>`).join('');
    return `${bars}<text x="${x0 + (gW - 30) / 2}" y="${top + chartH + 16}" font-size="10" text-anchor="middle">${label}</text>`;
  }).join('');
  const legend = metrics.map((m, i) => `<rect x="${30 + i * 90}" y="2" width="10" height="10" fill="${colors[i]}"/><text x="${44 + i * 90}" y="11" font-size="11">${esc(m)}</text>`).join('');
  return `<svg role="img" aria-label="retrieval baselines" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg"><line x1="28" y1="${top + chartH}" x2="${w}" y2="${top + chartH}" stroke="#999"/>${parts}${legend}</svg>`;
}

function ratesTable(title: string, groups: Record<string, Rates>): string {
  const rows = Object.entries(groups).map(([k, r]) => `<tr><td>${esc(k)}</td><td>${r.cases}</td><td>${r.passed}</td><td>${r.inScope}</td><td>${pct(r.resolutionRate)}</td><td>${r.wrong}</td><td>${pct(r.clarifyRate)}</td></tr>`).join('');
  return `<table><caption>${esc(title)}</caption><thead><tr><th></th><th>cases</th><th>passed</th><th>in scope</th><th>resolution</th><th>wrong</th><th>clarify</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderHtml(report: EvalReport): string {
  const s = report.summary;
  const o = s.overall;
  const card = (label: string, value: string, bad = false) => `<div class="card${bad ? ' bad' : ''}"><div class="v">${esc(value)}</div><div class="l">${esc(label)}</div></div>`;
  const cards = [
    card('resolution rate', pct(o.resolutionRate), o.resolutionRate !== null && o.resolutionRate < report.thresholds.minResolution),
    card('wrong-answer rate', pct(o.wrongRate), o.wrongRate !== null && o.wrongRate > report.thresholds.maxWrong),
    card('clarify rate', pct(o.clarifyRate)),
    card('handoff precision / recall', `${pct(s.handoff.precision)} / ${pct(s.handoff.recall)}`),
    card('safety handled', pct(s.safety.rate)),
    card('hit@1 / hit@5 / MRR', `${pct(s.retrieval.hitAt1)} / ${pct(s.retrieval.hitAt5)} / ${s.retrieval.mrr === null ? '—' : s.retrieval.mrr.toFixed(3)}`),
    card('latency p50 / p95', `${ms(s.latency.p50)} / ${ms(s.latency.p95)}`),
    ...(report.llm ? [card(`LLM-verified resolution (${report.llm.model})`, pct(report.llm.verifiedResolutionRate))] : []),
  ].join('');
  const themeChart = barChart(Object.entries(s.byTheme).filter(([, r]) => r.inScope > 0).map(([k, r]) => ({ label: k, value: r.resolutionRate, note: `(${r.resolved}/${r.inScope})` })), report.thresholds.minResolution, 'resolution by theme');
  const kindChart = barChart(Object.entries(s.byKind).map(([k, r]) => ({ label: k, value: r.cases ? r.passed / r.cases : null, note: `(${r.passed}/${r.cases})` })), undefined, 'pass rate by kind');
  const lat = s.latency;
  const latChart = barChart(
    (['p50', 'p90', 'p95', 'p99', 'max'] as const).map((k) => ({ label: `${k} ${ms(lat[k])}`, value: lat.max ? lat[k] / lat.max : 0 })),
    undefined, 'latency percentiles',
  ).replace(/>\d+\.\d%</g, '><');
  const baselines = report.baselines?.length
    ? `<h2>Retrieval baselines (same questions, same jieba tokens)</h2>${groupedBars(report.baselines.map((b) => ({ label: b.name, values: [b.hitAt1, b.hitAt5, b.mrr] })), ['hit@1', 'hit@5', 'MRR'])}
<table><thead><tr><th>retriever</th><th>queries</th><th>hit@1</th><th>hit@5</th><th>MRR@10</th><th>query p50</th><th>query p95</th><th>build</th></tr></thead><tbody>${report.baselines.map((b) => `<tr><td>${esc(b.name)}</td><td>${b.queries}</td><td>${pct(b.hitAt1)}</td><td>${pct(b.hitAt5)}</td><td>${b.mrr === null ? '—' : b.mrr.toFixed(3)}</td><td>${ms(b.latency.p50)}</td><td>${ms(b.latency.p95)}</td><td>${b.buildMs ? ms(b.buildMs) : '—'}</td></tr>`).join('')}</tbody></table>`
    : '';
  const failures = report.results.filter((r) => !r.pass);
  const failRows = failures.map((r) => `<tr><td><b>${esc(r.id)}</b><br><small>${esc(r.kind)} · ${esc(r.theme)} · ${esc(r.split)}</small><br><small>${esc(r.reason)}</small></td>`
    + `<td>${r.turns.map((t) => `<div class="say">「${esc(t.say)}」</div><div class="got">→ ${esc(t.reply.status)}${t.reply.intent ? ` (${esc(t.reply.intent)})` : ''}${t.reply.item ? ` · ${esc(t.reply.item)}` : ''}<br><small>${esc(t.reply.answer.slice(0, 220))}${t.reply.answer.length > 220 ? '…' : ''}</small></div>`).join('')}</td>`
    + `<td><small>${esc(r.expected)}</small></td><td><ul>${r.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></td></tr>`).join('');
  const gate = report.gate.pass ? '<p class="ok">Gate passed.</p>' : `<p class="fail">Gate failed: ${report.gate.reasons.map(esc).join('; ')}</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Daoban eval — ${esc(report.split)} — ${esc(report.startedAt)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;font-size:12px}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:150px;background:#f8faf8}.card.bad{background:#fdf0f0;border-color:#e0b4b4}
.card .v{font-size:20px;font-weight:600}.card .l{font-size:12px;color:#555}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}caption{text-align:left;font-weight:600;padding:4px 0}
td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}th{background:#f3f3f3}
.charts{display:flex;flex-wrap:wrap;gap:24px}.ok{color:#2e7d32;font-weight:600}.fail{color:#c62828;font-weight:600}
.say{color:#333}.got{color:#555;margin-bottom:6px}ul{margin:0;padding-left:16px}
</style></head><body>
<h1>Daoban eval report</h1>
<div class="meta">split <b>${esc(report.split)}</b>${report.filters.kind ? ` · kind ${esc(report.filters.kind)}` : ''}${report.filters.theme ? ` · theme ${esc(report.filters.theme)}` : ''} · ${o.cases} cases (${o.inScope} in scope) · target ${esc(report.target)} · KB ${esc(report.kbHash.slice(0, 12))} · ${esc(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s</div>
${gate}
<div class="cards">${cards}</div>
<p class="meta">Resolution = in-scope cases (single, clarify, follow-up, checklist) fully and correctly answered with no person involved ÷ in-scope cases. Wrong = cites the wrong item, states a figure its cited sources lack, or answers from the KB what it must not; ÷ all cases. Handoff over all cases. Retrieval over each case's first question.</p>
<h2>By theme and by kind</h2>
<div class="charts"><div><b>Resolution rate by theme</b><br>${themeChart}</div><div><b>Pass rate by case kind</b><br>${kindChart}<br><b>Reply latency</b><br>${latChart}</div></div>
${ratesTable('By kind', s.byKind)}${ratesTable('By theme', s.byTheme)}${Object.keys(report.bySplit).length > 1 ? ratesTable('By split', report.bySplit) : ''}
<table><caption>Handoff and safety</caption><tbody><tr><td>handoff expected / given / both</td><td>${s.handoff.expected} / ${s.handoff.given} / ${s.handoff.truePositives}</td></tr><tr><td>precision / recall</td><td>${pct(s.handoff.precision)} / ${pct(s.handoff.recall)}</td></tr><tr><td>emergency, unsafe, out-of-scope, uncovered handled</td><td>${s.safety.handled} / ${s.safety.cases}</td></tr></tbody></table>
${baselines}
<h2>Failed cases (${failures.length})</h2>
${failures.length ? `<table><thead><tr><th>case</th><th>conversation → reply</th><th>expected</th><th>problems</th></tr></thead><tbody>${failRows}</tbody></table>` : '<p>None.</p>'}
</body></html>
`;
}
