/**
 * Pages and scripts the service serves to browsers:
 *
 *   GET /                    a demo city service portal (Chinese) with the widget embedded by its script tag
 *   GET /portal.js           the demo portal's own script (buttons calling the widget's window.Daoban API)
 *   GET /widget.js           the embeddable widget (dist/widget, built by `npm run build:widget`)
 *   GET /widget-avatar.js    the digital-human chunk, imported by widget.js only when that mode is on
 *
 * The widget files are read per request (a rebuild is served without a restart) and are public: any page may
 * load them (CORS *, needed for the avatar's dynamic import), while the API and sockets only answer allowed
 * portal origins (server/http/origins.ts). Until the widget is built they answer 503 DB_WIDGET_NOT_BUILT.
 */
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROJECT_ROOT } from '../../config/config.ts';
import { DaobanError } from '../../errors/catalogue.ts';
import { readBuiltFile } from '../built-file.ts';

export const WIDGET_DIST_DIR = path.join(PROJECT_ROOT, 'dist', 'widget');

export interface PagesOptions {
  /** Where the built widget is (default dist/widget). */
  dir?: string;
}

const WIDGET_FILES = ['widget.js', 'widget-avatar.js'] as const;

/** The demo page: its own scripts only; the widget styles its shadow root with a <style> element. */
const PORTAL_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self' ws: wss:", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'self'",
].join('; ');

const SERVICES: Array<[string, string, string]> = [
  ['居住证办理', '首次申领、签注、补领', '居住证怎么办理？'],
  ['住房公积金', '提取、贷款、转移', '提取公积金需要什么材料？'],
  ['户籍办理', '迁入、迁出、户口簿', '子女投靠落户需要什么条件？'],
  ['社会保障', '养老、医疗、失业', '怎么办理社保卡？'],
  ['出入境', '护照、港澳通行证', '护照到期了怎么换发？'],
  ['婚姻登记', '结婚、离婚、补领', '结婚登记需要带什么？'],
  ['不动产登记', '转移、抵押、查询', '二手房过户需要什么材料？'],
  ['企业开办', '设立、变更、注销', '开办有限责任公司需要哪些材料？'],
];

const HOT = ['居住证签注', '公积金租房提取', '新生儿落户', '身份证换领', '异地就医备案', '灵活就业社保登记'];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function portalPage(): string {
  const services = SERVICES.map(([title, sub, ask]) => `
        <li><button type="button" class="svc" data-ask="${escapeHtml(ask)}"><span class="svc-title">${escapeHtml(title)}</span><span class="svc-sub">${escapeHtml(sub)}</span></button></li>`).join('');
  const hot = HOT.map((h) => `<li><button type="button" class="hot" data-ask="${escapeHtml(`${h}怎么办？`)}">${escapeHtml(h)}</button></li>`).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>北京市政务服务网 · 导办演示</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif; color: #1d2433; background: #f4f6fa; }
  a { color: #0b4aa2; }
  .top { background: #b3261e; color: #fff; font-size: 13px; }
  .top .wrap { display: flex; justify-content: space-between; padding: 6px 24px; }
  header.site { background: #fff; border-bottom: 3px solid #b3261e; }
  header.site .wrap { display: flex; align-items: center; gap: 24px; padding: 18px 24px; }
  .logo { display: flex; align-items: center; gap: 12px; }
  .logo .seal { width: 48px; height: 48px; border-radius: 50%; background: #b3261e; color: #fff; display: grid; place-items: center; font-weight: 700; font-size: 20px; }
  .logo strong { font-size: 24px; letter-spacing: 2px; } .logo small { display: block; color: #586174; font-size: 12px; letter-spacing: 1px; }
  nav.main { margin-left: auto; display: flex; gap: 4px; flex-wrap: wrap; }
  nav.main a { padding: 8px 14px; color: #1d2433; text-decoration: none; border-radius: 6px; font-size: 15px; }
  nav.main a.on, nav.main a:hover { background: #fdecea; color: #b3261e; }
  .wrap { max-width: 1180px; margin: 0 auto; }
  .hero { background: linear-gradient(120deg, #b3261e, #7f1913 60%, #5b120e); color: #fff; }
  .hero .wrap { padding: 40px 24px 48px; }
  .hero h1 { margin: 0 0 8px; font-size: 30px; letter-spacing: 1px; } .hero p { margin: 0 0 22px; opacity: .9; }
  .search { display: flex; max-width: 680px; background: #fff; border-radius: 10px; overflow: hidden; }
  .search input { flex: 1; border: 0; padding: 14px 16px; font-size: 16px; }
  .search button { border: 0; background: #e8a400; color: #1d2433; font-weight: 700; padding: 0 26px; font-size: 16px; cursor: pointer; }
  main .wrap { padding: 28px 24px 120px; display: grid; grid-template-columns: 2fr 1fr; gap: 24px; }
  section.box { background: #fff; border-radius: 12px; padding: 20px 22px; box-shadow: 0 1px 3px rgba(0,0,0,.06); }
  section.box h2 { margin: 0 0 14px; font-size: 18px; border-left: 4px solid #b3261e; padding-left: 10px; }
  ul.grid { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
  .svc { width: 100%; min-height: 86px; text-align: left; border: 1px solid #e3e7ee; border-radius: 10px; background: #fafbfd; padding: 14px; cursor: pointer; font: inherit; }
  .svc:hover, .svc:focus-visible { border-color: #b3261e; background: #fff5f4; }
  .svc-title { display: block; font-weight: 700; font-size: 16px; } .svc-sub { display: block; color: #586174; font-size: 13px; margin-top: 4px; }
  ul.hotlist { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
  .hot { border: 1px solid #e3e7ee; background: #fff; border-radius: 16px; padding: 6px 14px; cursor: pointer; font: inherit; font-size: 14px; }
  .hot:hover { border-color: #b3261e; color: #b3261e; }
  ol.news { margin: 0; padding-left: 18px; line-height: 2; font-size: 14px; }
  .guide-cta { margin-top: 16px; padding: 16px; border-radius: 10px; background: #eaf0fa; }
  .guide-cta button { margin-top: 8px; border: 0; background: #1f4e99; color: #fff; border-radius: 8px; padding: 10px 18px; font: inherit; cursor: pointer; }
  footer { background: #2b2f38; color: #c9cdd6; font-size: 13px; }
  footer .wrap { padding: 22px 24px; line-height: 1.8; }
  :focus-visible { outline: 3px solid #e8a400; outline-offset: 2px; }
  @media (max-width: 900px) { main .wrap { grid-template-columns: 1fr; } ul.grid { grid-template-columns: repeat(2, 1fr); } nav.main { display: none; } }
</style>
</head>
<body>
<div class="top"><div class="wrap"><span>北京市人民政府 主办</span><span>无障碍浏览 · 长辈版 · English</span></div></div>
<header class="site"><div class="wrap">
  <div class="logo"><span class="seal" aria-hidden="true">京</span><div><strong>北京市政务服务网</strong><small>京通 · 一网通办</small></div></div>
  <nav class="main" aria-label="主导航"><a class="on" href="/">首页</a><a href="/">个人服务</a><a href="/">法人服务</a><a href="/">部门服务</a><a href="/">好差评</a><a href="/">互动交流</a></nav>
</div></header>
<div class="hero"><div class="wrap">
  <h1>办事不求人，导办帮您问</h1>
  <p>14,500 余项政务服务事项，智能导办 7×24 小时为您解答办事指南、材料清单和办理地点</p>
  <form class="search" role="search" id="ask-form"><label for="ask" style="position:absolute;left:-9999px">输入您要办理的事项</label>
    <input id="ask" name="q" placeholder="例如：居住证怎么办理" autocomplete="off"><button type="submit">问导办</button></form>
</div></div>
<main><div class="wrap">
  <div>
    <section class="box"><h2>个人办事</h2><ul class="grid">${services}
    </ul></section>
    <section class="box" style="margin-top:24px"><h2>热门事项</h2><ul class="hotlist">${hot}</ul></section>
  </div>
  <aside>
    <section class="box"><h2>通知公告</h2><ol class="news">
      <li>关于调整住房公积金年度缴存基数的通知</li><li>居住证签注可在京通小程序“一键办理”</li><li>春节假期政务服务安排</li><li>新生儿“出生一件事”联办服务上线</li>
    </ol>
    <div class="guide-cta"><strong>不知道怎么办？</strong><br>点右下角“导办小助手”，或直接和数字人导办员对话。<br><button type="button" id="open-avatar">和数字人对话</button></div>
    </section>
  </aside>
</div></main>
<footer><div class="wrap">主办：北京市人民政府办公厅　承办：北京市政务服务和数据管理局<br>政务服务便民热线：12345　本页为导办（Daoban）演示门户，事项内容以官方发布为准。</div></footer>
<script src="/portal.js" defer></script>
<script src="/widget.js" data-lang="zh" data-position="right" data-title="导办小助手" async></script>
</body>
</html>`;
}

/** The demo portal's buttons drive the widget through its public JavaScript API. */
export const PORTAL_JS = `(function () {
  function daoban(fn) {
    if (window.Daoban) fn(window.Daoban);
    else window.addEventListener('daoban:ready', function () { fn(window.Daoban); }, { once: true });
  }
  document.addEventListener('click', function (e) {
    var target = e.target instanceof Element ? e.target.closest('[data-ask]') : null;
    if (target) daoban(function (d) { d.ask(target.getAttribute('data-ask')); });
    if (e.target instanceof Element && e.target.closest('#open-avatar')) daoban(function (d) { d.open(); d.setAvatar(true); });
  });
  var form = document.getElementById('ask-form');
  if (form) form.addEventListener('submit', function (e) {
    e.preventDefault();
    var q = form.elements.namedItem('q').value.trim();
    if (q) daoban(function (d) { d.ask(q); });
  });
})();
`;

export function registerPages(http: FastifyInstance, opts: PagesOptions = {}): void {
  const dir = opts.dir ?? WIDGET_DIST_DIR;

  http.get('/', async (_req, reply) => reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('content-security-policy', PORTAL_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    .send(portalPage()));

  http.get('/portal.js', async (_req, reply) => reply
    .header('content-type', 'text/javascript; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send(PORTAL_JS));

  for (const file of WIDGET_FILES) {
    http.get(`/${file}`, async (_req, reply: FastifyReply) => {
      const body = await readBuiltFile(path.join(dir, file));
      if (!body) throw DaobanError.create('WIDGET_NOT_BUILT');
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        // short cache: portals link the unversioned name, and a release must reach them quickly
        .header('cache-control', 'public, max-age=300')
        .header('access-control-allow-origin', '*')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    });
  }
}
