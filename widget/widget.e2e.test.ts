/**
 * The citizen widget in a real browser (Debian's Chromium through playwright-core) against the real service
 * (buildApp on port 0, temp DATA_DIR, fixture knowledge base), embedded by its script tag in a page served from
 * ANOTHER origin (http://localhost:P while the service is http://127.0.0.1:Q). The navigator side runs in a
 * second browser context on the real console (/console).
 * Screenshots: test-artifacts/e2e/widget-*.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type DaobanApp } from '../server/app.ts';
import { FIXTURE_KB_DIR } from '../server/assistant/__fixtures__/kb-fixture.ts';
import { loadConfig } from '../server/config/config.ts';
import { NavigatorAccounts, systemClock } from '../server/handoff/index.ts';
import { SqliteHandoffStore } from '../server/storage/index.ts';
import type { SpeechTimeline } from './src/avatar/contract.ts';
import { launchChromium, SHOTS, writeOpenCalendar } from './e2e-support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'duty-password-1';
const ADMIN_TOKEN = 'widget-e2e-admin';

let app: DaobanApp;
let base: string;
let dataDir: string;
let kbDir: string;
let browser: Browser;
let portal: http.Server;
let portalUrl: string;
let strangerUrl: string;

async function reloadKb(): Promise<void> {
  const res = await fetch(`${base}/api/admin/kb/reload`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
}

/** A city portal on another origin, whose own styles would clash with the widget's if they leaked. */
function portalHtml(serviceUrl: string, attrs = ''): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>某区政务服务门户</title>
<style>body{font-family:serif;background:#fffbe6;margin:0} h1{color:#7f1913;padding:24px} button{background:#ff00ff!important;font-size:9px!important} p{color:#0a0}</style>
</head><body><h1>某区政务服务门户（第三方页面）</h1><p>本页面嵌入了导办小助手。</p>
<script src="${serviceUrl}/widget.js" data-lang="zh" data-title="导办小助手"${attrs}></script></body></html>`;
}

async function startPortal(): Promise<void> {
  portal = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(portalHtml(base, req.url?.includes('avatar') ? ' data-avatar="on" data-open="true"' : ''));
  });
  await new Promise<void>((resolve) => portal.listen(0, 'localhost', resolve));
  const { port } = portal.address() as { port: number };
  portalUrl = `http://localhost:${port}`;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `widget-${name}.png`) });
}

async function newPage(opts: { reducedMotion?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN', ...(opts.reducedMotion ? { reducedMotion: 'reduce' } : {}) });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  return { context, page };
}

const W = 'daoban-widget';
const bots = (page: Page) => page.locator(`${W} .msg.bot[data-seq]`);

async function openWidget(page: Page, url = `${portalUrl}/`): Promise<void> {
  await page.goto(url);
  await page.locator(`${W} .launcher`).click();
  await page.locator(`${W} .composer textarea`).waitFor();
}

/** Types a question and resolves with the bot's reply to it (the next bot message). */
async function ask(page: Page, text: string) {
  const before = await bots(page).count();
  await page.locator(`${W} .composer textarea`).fill(text);
  await page.keyboard.press('Enter');
  const reply = bots(page).nth(before);
  await reply.waitFor();
  return reply;
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await build({ configFile: path.join(here, 'vite.config.ts'), logLevel: 'error', mode: 'production' });

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-widget-e2e-'));
  kbDir = path.join(dataDir, 'kb');
  fs.cpSync(FIXTURE_KB_DIR, kbDir, { recursive: true });
  writeOpenCalendar(kbDir, false);
  const store = SqliteHandoffStore.open(dataDir);
  await new NavigatorAccounts(store, systemClock).create({ username: 'duty', password: PASSWORD, name: '王导办', skills: ['public-security', 'general', 'housing-fund'] });
  await store.close();

  // the portal's origin must be known to the service: start the portal first, then the service
  await new Promise<void>((resolve) => { base = 'http://127.0.0.1:0'; resolve(); });
  await startPortal();
  const stranger = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(portalHtml(base));
  });
  await new Promise<void>((resolve) => stranger.listen(0, 'localhost', resolve));
  strangerUrl = `http://localhost:${(stranger.address() as { port: number }).port}`;
  portal.on('close', () => stranger.close());

  app = await buildApp(loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, KB_DIR: kbDir, LOG_LEVEL: 'silent', ADMIN_TOKEN, ALLOWED_ORIGINS: portalUrl,
  }));
  base = await app.listen();

  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise<void>((resolve) => (portal ? portal.close(() => resolve()) : resolve()));
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('citizen widget', () => {
  it('embeds on a page of another origin and answers with citations, styles isolated both ways', async () => {
    const { context, page } = await newPage();
    await page.goto(`${portalUrl}/`);
    // the page's `button { background: magenta !important }` does not reach into the widget
    const launcherBg = await page.locator(`${W} .launcher`).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(launcherBg).toBe('rgb(31, 78, 153)');
    await page.locator(`${W} .launcher`).click();
    await expect.poll(() => page.locator(`${W} .panel`).isVisible()).toBe(true);
    // the widget's styles do not reach the page
    expect(await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily)).toContain('serif');

    const reply = await ask(page, '居住证丢了补办要交多少钱');
    const source = reply.locator('.sources a').first();
    await source.waitFor();
    expect(await source.getAttribute('href')).toMatch(/^https?:\/\//);
    expect(await reply.locator('.sources li').first().textContent()).toMatch(/更新于 \d{4}-\d{2}-\d{2}/);
    expect(await reply.locator('.bubble').textContent()).toMatch(/元|免费|费/);
    // thumbs up is stored
    const vote = page.waitForResponse((r) => r.url().endsWith('/api/feedback'));
    await reply.locator('button[data-vote="up"]').click();
    expect((await vote).status()).toBe(200);
    await expect.poll(() => reply.locator('.thanks').textContent()).toContain('感谢');
    await shot(page, 'cited-answer');
    await context.close();
  });

  it('answers a clarify chip, runs the checklist to its end and opens the print page', async () => {
    const { context, page } = await newPage();
    await openWidget(page);
    const clarify = await ask(page, '居住证要什么材料');
    const chip = clarify.locator('.chips.options .chip', { hasText: '首次' });
    await chip.waitFor();
    let count = await bots(page).count();
    await chip.click();
    // answer each situational question with its first option until the checklist is complete
    for (let step = 0; step < 8; step++) {
      const next = bots(page).nth(count);
      await next.waitFor();
      count++;
      if (await next.locator('.card').count()) break;
      const options = next.locator('.chips.options .chip');
      if (!(await options.count())) break;
      await options.first().click();
    }
    const card = page.locator(`${W} .card`).last();
    await card.waitFor();
    await expect.poll(() => card.locator('ol li').count()).toBeGreaterThan(0);
    expect(await card.locator('h3').textContent()).toContain('居住证');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'checklist');
    const popup = page.waitForEvent('popup');
    await card.locator('button[data-action="print"]').click();
    const printPage = await popup;
    await printPage.waitForLoadState();
    expect(printPage.url()).toMatch(/\/checklists\/[A-Za-z0-9_-]+\?lang=zh$/);
    expect(await printPage.locator('body').textContent()).toContain('居住证');
    await printPage.screenshot({ path: path.join(SHOTS, 'widget-print-page.png') });
    await context.close();
  });

  it('hands off to a navigator on the console, messages both ways, survives a lost connection, returns to the bot', async () => {
    const { context, page } = await newPage();
    const nav = await newPage();
    const consolePage = nav.page;
    await consolePage.goto(`${base}/console`);
    await consolePage.getByLabel('用户名').fill('duty');
    await consolePage.getByLabel('密码').fill(PASSWORD);
    await consolePage.getByRole('button', { name: '登录' }).click();
    await consolePage.locator('.topbar .conn.online').waitFor();

    await openWidget(page);
    await page.evaluate(() => {
      (window as unknown as { seen: string[] }).seen = [];
      for (const e of ['handoff', 'queue', 'navigator']) window.Daoban!.on(e as 'handoff', () => (window as unknown as { seen: string[] }).seen.push(e));
    });
    await ask(page, '居住证签注在哪里办？');
    await page.locator(`${W} button[data-action="human"]`).click();
    const banner = page.locator(`${W} .banner`);
    await expect.poll(() => banner.textContent()).toMatch(/您排在第 \d+ 位/);
    await shot(page, 'queue');

    await consolePage.locator('#offers .card.offer').waitFor();
    await consolePage.locator('#offers').getByRole('button', { name: '接入' }).click();
    await expect.poll(() => banner.textContent()).toContain('导办员王导办正在为您服务');
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(expect.arrayContaining(['handoff', 'navigator']));

    // citizen → navigator
    await page.locator(`${W} .composer textarea`).fill('我租房住，可以办签注吗？');
    await page.keyboard.press('Enter');
    await consolePage.locator('#transcript .msg.citizen', { hasText: '我租房住' }).waitFor();
    // navigator → citizen
    await consolePage.locator('#composer-input').fill('可以办理，请带上租赁合同。');
    await consolePage.keyboard.press('Enter');
    await page.locator(`${W} .msg.navigator`, { hasText: '请带上租赁合同' }).waitFor();

    // the connection drops; a message sent meanwhile arrives once after the reconnect (last-seq replay)
    await page.evaluate(() => {
      const el = window.Daoban!.element as unknown as { client: { socket: { io: { engine: { close(): void } } } } };
      el.client.socket.io.engine.close();
    });
    await consolePage.locator('#composer-input').fill('另外，记得带身份证原件。');
    await consolePage.keyboard.press('Enter');
    await page.locator(`${W} .msg.navigator`, { hasText: '记得带身份证原件' }).waitFor();
    expect(await page.locator(`${W} .msg.navigator`, { hasText: '记得带身份证原件' }).count()).toBe(1);
    expect(await page.locator(`${W} .msg.citizen`, { hasText: '我租房住' }).count()).toBe(1);
    await shot(page, 'with-navigator');

    await consolePage.getByRole('button', { name: '转回智能导办' }).click();
    await consolePage.locator('#rtb-code').selectOption('answered');
    await consolePage.locator('#rtb-dialog-submit').click();
    await page.locator(`${W} .msg.system[data-event="returned-to-bot"]`).waitFor();
    await expect.poll(() => banner.isHidden()).toBe(true);
    // 好差评 for the navigator's service
    const rating = page.locator(`${W} .dock .rating`);
    await rating.waitFor();
    await rating.locator('button[data-score="good"]').click();
    await rating.locator('textarea[name="comment"]').fill('解答很清楚');
    await rating.locator('button[type="submit"]').click();
    await rating.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator(`${W} .hint`).textContent()).toContain('感谢您的评价');
    // the bot answers again
    const again = await ask(page, '居住证丢了怎么补办？');
    expect(await again.locator('.bubble').textContent()).toBeTruthy();
    await shot(page, 'returned-to-bot');
    await nav.context.close();
    await context.close();
  });

  it('resumes after a reload: the whole conversation, nothing lost, nothing doubled', async () => {
    const { context, page } = await newPage();
    await openWidget(page);
    await ask(page, '居住证丢了补办要交多少钱');
    await ask(page, '那要多久？');
    const before = await page.locator(`${W} .msg[data-seq]`).allTextContents();
    const sessionId = await page.evaluate(() => window.Daoban!.sessionId);
    await page.reload();
    // a stored conversation reconnects by itself; the launcher opens it
    await page.locator(`${W} .launcher`).click();
    await expect.poll(() => page.locator(`${W} .msg[data-seq]`).count()).toBe(before.length);
    expect(await page.locator(`${W} .msg[data-seq]`).allTextContents()).toEqual(before);
    expect(await page.evaluate(() => window.Daoban!.sessionId)).toBe(sessionId);
    const seqs = await page.locator(`${W} .msg[data-seq]`).evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    await shot(page, 'after-reload');
    await context.close();
  });

  it('switches to English: interface and answers', async () => {
    const { context, page } = await newPage();
    await openWidget(page);
    await page.locator(`${W} select`).selectOption('en');
    await expect.poll(() => page.locator(`${W} .composer textarea`).getAttribute('placeholder')).toBe('Type your question');
    expect(await page.locator(`${W} h2`).textContent()).toBe('导办小助手'); // the portal's title setting stays
    const reply = await ask(page, 'How much does it cost to replace a lost residence permit?');
    expect(await reply.locator('.who').textContent()).toBe('Assistant');
    expect(await reply.locator('.bubble').textContent()).toMatch(/[A-Za-z]{4,}/);
    await shot(page, 'english');
    // right-to-left structure for Arabic, falling back to English for untranslated messages
    await page.locator(`${W} select`).selectOption('ar');
    expect(await page.locator(`${W} .panel`).getAttribute('dir')).toBe('rtl');
    expect(await page.locator(`${W} .composer textarea`).getAttribute('placeholder')).toBe('اكتب سؤالك');
    await context.close();
  });

  it('elder mode: large type, high contrast, keyboard operable, reduced motion respected', async () => {
    const { context, page } = await newPage({ reducedMotion: true });
    await page.goto(`${portalUrl}/`);
    // keyboard only: reach the launcher and open it
    await page.locator(`${W} .launcher`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('DAOBAN-WIDGET');
    await page.locator(`${W} button[data-action="elder"]`).click();
    expect(await page.locator(`${W} button[data-action="elder"]`).getAttribute('aria-pressed')).toBe('true');
    const reply = await ask(page, '居住证签注在哪里办？');
    const size = await reply.locator('.bubble').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(20);
    expect(await page.locator(`${W} .log`).getAttribute('aria-live')).toBe('polite');
    expect(await page.locator(`${W} .panel`).evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    // Escape closes and gives focus back to the launcher
    await page.locator(`${W} .composer textarea`).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`${W} .launcher`).isVisible()).toBe(true);
    await page.locator(`${W} .launcher`).click();
    await shot(page, 'elder');
    await context.close();
  });

  it('digital human: the mouth follows the server timeline, with subtitles', async () => {
    const { context, page } = await newPage();
    await page.goto(`${portalUrl}/avatar`); // data-avatar="on" data-open="true"
    await page.locator(`${W} .avatar .mouth`).waitFor();
    await page.evaluate(() => {
      window.Daoban!.avatar!.useManualClock();
      const w = window as unknown as { speeches: unknown[]; visemes: string[] };
      w.speeches = [];
      w.visemes = [];
      window.Daoban!.on('avatar', (e) => {
        const ev = e as { type?: string; timeline?: unknown; viseme?: string };
        if (ev.type === 'speak') w.speeches.push(ev.timeline);
        if (ev.type === 'viseme') w.visemes.push(ev.viseme!);
      });
    });
    await ask(page, '居住证丢了补办要交多少钱');
    await expect.poll(() => page.evaluate(() => (window as unknown as { speeches: unknown[] }).speeches.length)).toBe(1);
    const timeline = await page.evaluate(() => (window as unknown as { speeches: SpeechTimeline[] }).speeches[0]!);
    expect(timeline.timeline.length).toBeGreaterThan(10);
    const mouth = page.locator(`${W} .avatar .mouth`);
    const subtitles = page.locator(`${W} .avatar .subtitles`);

    // step the avatar's clock cue by cue: the mouth shows each cue's viseme when the timeline says so
    let now = 0;
    const expected: string[] = [];
    let shown = 'sil'; // the closed mouth before the first cue
    const cues = timeline.timeline.slice(0, 40);
    for (const cue of cues) {
      const at = cue.t + Math.min(1, Math.max(cue.d - 1, 0));
      if (at < now) continue;
      await page.evaluate((ms) => window.Daoban!.avatar!.advance(ms), at - now);
      now = at;
      expect(await mouth.getAttribute('data-viseme')).toBe(cue.viseme);
      if (cue.viseme !== shown) expected.push(cue.viseme);
      shown = cue.viseme;
    }
    const events = await page.evaluate(() => (window as unknown as { visemes: string[] }).visemes);
    expect(events.slice(0, expected.length)).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(3);
    // subtitles show what is being said (the spoken text, numbers read out)
    const sub = (await subtitles.textContent()) ?? '';
    expect(sub.length).toBeGreaterThan(0);
    expect(timeline.spoken).toContain(sub.slice(0, 4));
    await shot(page, 'digital-human');

    // pause holds the mouth; stop closes it
    await page.locator(`${W} .avatar button[data-action="pause"]`).click();
    const held = await mouth.getAttribute('data-viseme');
    await page.evaluate(() => window.Daoban!.avatar!.advance(500));
    expect(await mouth.getAttribute('data-viseme')).toBe(held);
    await page.locator(`${W} .avatar button[data-action="stop"]`).click();
    expect(await mouth.getAttribute('data-viseme')).toBe('sil');
    // the avatar is a separate chunk, loaded only in this mode
    const chunks = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.includes('widget-avatar')));
    expect(chunks).toHaveLength(1);
    await context.close();
  });

  it('refuses a page whose origin is not an allowed portal', async () => {
    const { context, page } = await newPage();
    await page.goto(`${strangerUrl}/`);
    await page.locator(`${W} .launcher`).click();
    await expect.poll(() => page.locator(`${W} .banner`).textContent()).toContain('暂时无法连接服务');
    const status = await page.evaluate(async (url) => (await fetch(`${url}/api/speech/visemes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"你好"}' }).catch(() => ({ status: 0 }))).status, base);
    expect(status).toBe(0); // no CORS headers for this origin: the browser blocks the response
    await context.close();
  });

  it('after hours: leave a message and see the reference number', async () => {
    writeOpenCalendar(kbDir, true);
    await reloadKb();
    try {
      const { context, page } = await newPage();
      await openWidget(page);
      page.evaluate(() => window.Daoban!.setUser({ name: '张先生' })).catch(() => undefined);
      await ask(page, '居住证签注在哪里办？');
      await page.locator(`${W} button[data-action="human"]`).click();
      const form = page.locator(`${W} .dock form`);
      await form.waitFor();
      await expect.poll(() => page.locator(`${W} .banner`).textContent()).toContain('非工作时间');
      expect(await form.locator('input[name="name"]').inputValue()).toBe('张先生');
      // contact is required
      await form.locator('button[type="submit"]').click();
      await expect.poll(() => form.locator('.error').textContent()).toContain('手机号码或电子邮箱');
      await form.locator('input[name="phone"]').fill('13812345678');
      await form.locator('button[type="submit"]').click();
      const ref = page.locator(`${W} .dock .ticket`);
      await ref.waitFor();
      expect(await ref.textContent()).toMatch(/\S{4,}/);
      await shot(page, 'after-hours-ticket');
      await context.close();
    } finally {
      writeOpenCalendar(kbDir, false);
      await reloadKb();
    }
  });
});
