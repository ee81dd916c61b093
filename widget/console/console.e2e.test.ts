/**
 * The navigator console in a real browser (Debian's Chromium through playwright-core) against the real service
 * (buildApp on port 0, temp DATA_DIR, fixture knowledge base), with citizens on real socket.io-client sockets:
 * login, offer with handoff packet, accept, messages both ways with read receipts, internal note, canned reply,
 * agent assist, transfer, return to bot, end and wrap-up, reload with replay, after-hours ticket claimed and closed;
 * managing canned replies (create, insert, edit, field error, delete; no controls on what the navigator may not change);
 * a supervisor monitoring a conversation a navigator serves (live list, read-only transcript following new messages).
 * Screenshots: test-artifacts/e2e/console-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { io as connect } from 'socket.io-client';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type DaobanApp } from '../../server/app.ts';
import { FIXTURE_KB_DIR } from '../../server/assistant/__fixtures__/kb-fixture.ts';
import { loadConfig } from '../../server/config/config.ts';
import { NavigatorAccounts, systemClock } from '../../server/handoff/index.ts';
import { ok, once, type CitizenSocket, type NavigatorSocket } from '../../server/realtime/testing/harness.ts';
import { CITIZEN_NAMESPACE, NAVIGATOR_NAMESPACE, SOCKET_PATH, type CitizenSync, type HandoffInfo, type MessageView } from '../../server/realtime/protocol.ts';
import { SqliteHandoffStore } from '../../server/storage/index.ts';
import { launchChromium, SHOTS, writeOpenCalendar } from '../e2e-support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'duty-password-1';
const ADMIN_TOKEN = 'e2e-admin-token';

let app: DaobanApp;
let base: string;
let dataDir: string;
let kbDir: string;
let browser: Browser;
let page: Page;
const sockets: Array<{ disconnect(): void }> = [];

function citizen(): CitizenSocket {
  const s = connect(base + CITIZEN_NAMESPACE, { path: SOCKET_PATH, auth: {}, transports: ['websocket'], forceNew: true, reconnection: false }) as unknown as CitizenSocket;
  sockets.push(s);
  return s;
}

/** A citizen who asked the bot about the residence permit and then pressed "转人工". */
async function citizenAsksForPerson(question = '办理居住证需要什么材料？'): Promise<{ socket: CitizenSocket; messages: MessageView[] }> {
  const socket = citizen();
  const messages: MessageView[] = [];
  socket.on('message', (m) => messages.push(m));
  await once(socket, 'sync');
  const answered = once(socket, 'message', (m) => m.sender === 'bot');
  await ok(socket, 'message:send', { clientId: `q-${Math.random()}`, text: question });
  await answered;
  await ok(socket, 'handoff:request', {});
  return { socket, messages };
}

async function shot(name: string, of: Page = page): Promise<void> {
  await of.screenshot({ path: path.join(SHOTS, `console-${name}.png`) });
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await build({ configFile: path.join(here, 'vite.config.ts'), logLevel: 'error' });

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-console-e2e-'));
  kbDir = path.join(dataDir, 'kb');
  fs.cpSync(FIXTURE_KB_DIR, kbDir, { recursive: true });
  writeOpenCalendar(kbDir, false);

  const store = SqliteHandoffStore.open(dataDir);
  const accounts = new NavigatorAccounts(store, systemClock);
  await accounts.create({ username: 'duty', password: PASSWORD, name: '王导办', skills: ['public-security', 'general'] });
  await accounts.create({ username: 'colleague', password: PASSWORD, name: '李导办', skills: ['public-security', 'general'] });
  await accounts.create({ username: 'boss', password: PASSWORD, name: '张班长', skills: ['general'], role: 'supervisor' });
  await store.close();

  app = await buildApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, KB_DIR: kbDir, LOG_LEVEL: 'silent', ADMIN_TOKEN }));
  base = await app.listen();

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('navigator console', () => {
  it('serves a whole working session: queue, packet, accept, chat, notes, canned, assist, transfer, return to bot, wrap-up, replay, tickets', async () => {
    // --- login ------------------------------------------------------------------------------------
    await page.goto(`${base}/console`);
    await page.getByLabel('用户名').fill('duty');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('.login-error').textContent()).toContain('用户名或密码不正确');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.topbar .conn.online').waitFor();
    await expect.poll(() => page.locator('#status-select').inputValue()).toBe('available');

    // A colleague is online but away: offers come to the console, transfers can go to the colleague.
    const loginColleague = await fetch(`${base}/api/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'colleague', password: PASSWORD }) });
    const { token: colleagueToken } = (await loginColleague.json()) as { token: string };
    const colleague = connect(base + NAVIGATOR_NAMESPACE, { path: SOCKET_PATH, auth: { token: colleagueToken, status: 'away' }, transports: ['websocket'], forceNew: true, reconnection: false }) as unknown as NavigatorSocket;
    sockets.push(colleague);
    await once(colleague, 'hello');

    // --- a citizen asks for a person: the offer, the queue and the handoff packet -------------------
    const first = await citizenAsksForPerson();
    const offerCard = page.locator('#offers .card.offer');
    await offerCard.waitFor();
    await expect.poll(() => offerCard.textContent()).toMatch(/秒后转给他人/);
    await expect.poll(() => page.locator('#queue').textContent()).toContain('公安户政');
    await expect.poll(() => page.locator('#queue .queue-entry').count()).toBe(1);
    const packet = page.locator('#context .packet');
    await packet.waitFor();
    await expect.poll(() => packet.textContent()).toContain('市民要求转人工');
    await expect.poll(() => packet.textContent()).toContain('问题摘要');
    await expect.poll(() => packet.textContent()).toContain('居住证');
    // The bot's turn is in the transcript with its citations.
    await page.locator('#transcript .msg.bot .citations').first().waitFor();
    await shot('offer');

    // --- accept with the keyboard shortcut ----------------------------------------------------------
    const joined = once(first.socket, 'state', (s) => s.responder === 'navigator');
    await page.keyboard.press('Alt+KeyA');
    await joined;
    await page.locator('#mine .card.conv').waitFor();
    await expect.poll(() => page.locator('#conv-header').textContent()).toContain('服务中');

    // --- messages both ways, typing and read receipts -----------------------------------------------
    // Typing indicators are volatile (dropped rather than queued), so real clients repeat them while the user types;
    // the test does the same until the console shows one.
    const typingSeen = page.locator('.typing', { hasText: '市民正在输入' });
    await expect
      .poll(async () => {
        first.socket.emit('typing', { typing: true });
        return typingSeen.isVisible();
      }, { timeout: 30_000 })
      .toBe(true);
    await ok(first.socket, 'message:send', { clientId: 'c-rent', text: '我在朝阳区租房住，可以办吗？' });
    await page.locator('#transcript .msg.citizen', { hasText: '我在朝阳区租房住' }).waitFor();

    const reply = once(first.socket, 'message', (m) => m.sender === 'navigator');
    await page.locator('#composer-input').fill('可以办理，租房的需要提供租赁合同和房屋登记信息。');
    await page.keyboard.press('Enter');
    const navMessage = await reply;
    expect(navMessage.text).toBe('可以办理，租房的需要提供租赁合同和房屋登记信息。');
    expect(navMessage.authorName).toBe('王导办');
    await ok(first.socket, 'read', { seq: navMessage.seq });
    await page.locator('#transcript .msg.navigator .receipt.read').waitFor();

    // --- internal note: shown to navigators, never to the citizen ------------------------------------
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => page.locator('#composer').getAttribute('class')).toContain('note-mode');
    await page.locator('#composer-input').fill('市民情况特殊：房东不配合登记，注意提醒派出所现场核实。');
    await page.keyboard.press('Enter');
    await page.locator('#transcript .msg.note', { hasText: '房东不配合登记' }).waitFor();
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => page.locator('#composer').getAttribute('class')).not.toContain('note-mode');

    // --- canned reply --------------------------------------------------------------------------------
    await page.getByRole('tab', { name: '快捷回复' }).click();
    await page.locator('.canned-item', { hasText: '请稍候' }).click();
    await expect.poll(() => page.locator('#composer-input').inputValue()).toBe('正在为您查询相关规定，请稍候。');
    const canned = once(first.socket, 'message', (m) => m.sender === 'navigator' && m.text.includes('请稍候'));
    await page.locator('#composer-send').click();
    await canned;

    // --- agent assist: knowledge-base replies for the citizen's last question ------------------------
    await page.getByRole('tab', { name: '推荐回复' }).click();
    await expect.poll(() => page.locator('.assist-question').textContent()).toContain('我在朝阳区租房住');
    await page.locator('.suggestion').first().waitFor();
    await shot('conversation');

    // --- reload: held conversation replayed, nothing lost, nothing doubled ---------------------------
    await page.goto('about:blank');
    await ok(first.socket, 'message:send', { clientId: 'c-while-away', text: '我的居住登记已经满半年了。' });
    await page.goto(`${base}/console`);
    await page.locator('#mine .card.conv').first().click();
    await page.locator('#transcript .msg.citizen', { hasText: '居住登记已经满半年' }).waitFor();
    // notes arrive with the conversation's packet, which may render after its messages
    await page.locator('#transcript .msg.note', { hasText: '房东不配合登记' }).waitFor();
    expect(await page.locator('#transcript .msg.citizen', { hasText: '居住登记已经满半年' }).count()).toBe(1);
    expect(await page.locator('#transcript .msg.citizen', { hasText: '我在朝阳区租房住' }).count()).toBe(1);
    expect(await page.locator('#transcript .msg.note', { hasText: '房东不配合登记' }).count()).toBe(1);

    // --- transfer to the colleague with a note ---------------------------------------------------------
    const colleagueOffer = once(colleague, 'offer');
    await page.getByRole('button', { name: '转接' }).click();
    await page.locator('#transfer-dialog').waitFor();
    await page.locator('#transfer-navigator').selectOption({ label: '李导办（暂离，0/3）' });
    await page.locator('#transfer-note').fill('市民需要核实租赁登记，请跟进。');
    await page.locator('#transfer-dialog-submit').click();
    const offered = await colleagueOffer;
    expect(offered.transferredBy).toBe('王导办');
    expect(offered.conversation.packet?.transferNote).toBe('市民需要核实租赁登记，请跟进。');
    await ok(colleague, 'conversation:accept', { conversationId: offered.conversation.id });
    await expect.poll(() => page.locator('#mine .card.conv').count()).toBe(0);

    // The citizen never saw the note.
    expect(first.messages.some((m) => m.text.includes('房东不配合登记'))).toBe(false);
    const citizenView = await fetch(`${base}/api/handoff/messages?after=0`, { headers: { 'x-session-id': (await sessionOf(first.socket)) } }).then((r) => r.json() as Promise<{ messages: MessageView[] }>);
    expect(citizenView.messages.some((m) => m.text.includes('房东不配合登记'))).toBe(false);

    // --- return to bot -------------------------------------------------------------------------------
    const second = await citizenAsksForPerson('居住证丢了怎么补办？');
    await page.locator('#offers .card.offer').waitFor();
    await page.locator('#offers').getByRole('button', { name: '接入' }).click();
    await page.locator('#mine .card.conv').waitFor();
    const backToBot = once(second.socket, 'state', (s) => s.responder === 'bot');
    await page.getByRole('button', { name: '转回智能导办' }).click();
    await page.locator('#rtb-code').selectOption('answered');
    await page.locator('#rtb-dialog-submit').click();
    await backToBot;
    await expect.poll(() => page.locator('#mine .card.conv').count()).toBe(0);

    // --- end the chat and wrap up with a code ----------------------------------------------------------
    const third = await citizenAsksForPerson('居住证签注在哪里办？');
    await page.locator('#offers .card.offer').waitFor();
    await page.keyboard.press('Alt+KeyA');
    await page.locator('#mine .card.conv').waitFor();
    const rating = once(third.socket, 'state', (s) => s.canRate);
    await page.getByRole('button', { name: '结束服务' }).click();
    await rating;
    await expect.poll(() => page.locator('#conv-header').textContent()).toContain('请填写结案代码');
    const resolved = once(third.socket, 'state', (s) => s.state === 'resolved');
    await page.getByRole('button', { name: '结案', exact: true }).click();
    await page.locator('#wrap-code').selectOption('guided-online');
    await page.locator('#wrap-note').fill('已引导通过京通办理签注。');
    await page.locator('#wrap-dialog-submit').click();
    await resolved;
    await expect.poll(() => page.locator('#mine .card.conv').count()).toBe(0);

    // --- after hours: the citizen leaves a message, the console lists, claims and closes the ticket ----
    writeOpenCalendar(kbDir, true);
    const reload = await fetch(`${base}/api/admin/kb/reload`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(reload.status).toBe(200);
    const late = citizen();
    await once(late, 'sync');
    const lateAnswer = once(late, 'message', (m) => m.sender === 'bot');
    await ok(late, 'message:send', { clientId: 'late-q', text: '居住证到期了怎么续签？' });
    await lateAnswer;
    const afterHours = await ok<{ handoff: HandoffInfo }>(late, 'handoff:request', {});
    expect(afterHours.handoff.state).toBe('after-hours');
    const left = await ok<{ handoff: HandoffInfo }>(late, 'ticket:leave', { name: '张先生', phone: '13800000000' });
    const ref = left.handoff.ticketRef!;
    expect(ref).toBeTruthy();

    await page.getByRole('button', { name: /留言工单/ }).click();
    const row = page.locator(`#tickets-table tr[data-ticket="${ref}"]`);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('13800000000');
    await expect.poll(() => row.textContent()).toContain('北京市公安局');
    await shot('tickets');
    await row.getByRole('button', { name: '认领' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByRole('radio', { name: '处理中' }).click();
    const claimed = page.locator(`#tickets-table tr[data-ticket="${ref}"]`);
    await claimed.waitFor();
    await expect.poll(() => claimed.textContent()).toContain('王导办');
    await claimed.getByRole('button', { name: '办结' }).click();
    await page.locator('#ticket-note').fill('已电话回复续签流程。');
    await page.locator('#ticket-dialog-submit').click();
    await expect.poll(() => claimed.count()).toBe(0);

    // --- team view and English UI ---------------------------------------------------------------------
    await page.getByRole('button', { name: '团队与队列' }).click();
    await page.locator('#team-table', { hasText: '李导办' }).waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Team & queues' }).waitFor();
    await shot('team-en');
    await page.getByRole('button', { name: 'Conversations' }).click();
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('lets a navigator manage the canned replies of their skills (create, insert, edit, field error, delete), and not the shared ones', async () => {
    // Open (the first journey ends on a holiday); a citizen's conversation to insert replies into.
    await dutyConsole();
    await dutyStatus('available');
    writeOpenCalendar(kbDir, false);
    expect((await fetch(`${base}/api/admin/kb/reload`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    await citizenAsksForPerson('居住证签注怎么办？');
    await page.locator('#offers .card.offer').waitFor();
    await page.keyboard.press('Alt+KeyA');
    await page.locator('#mine .card.conv').waitFor();
    await page.getByRole('tab', { name: '快捷回复' }).click();

    // --- the manager opens from the canned-replies tab; the shared starter set has no controls for a navigator ------
    const manage = page.getByRole('button', { name: '管理快捷回复' });
    await manage.click();
    const dialog = page.locator('#canned-dialog');
    await dialog.waitFor();
    const shared = dialog.locator('.cm-group', { hasText: '通用（全体导办员可用）' });
    await expect.poll(() => shared.textContent()).toContain('通用快捷回复只有班长可以修改');
    const waitReply = shared.locator('.cm-item', { hasText: '请稍候' });
    await waitReply.waitFor();
    expect(await waitReply.getByRole('button').count()).toBe(0);
    expect(await shared.getByRole('button').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: '新建快捷回复' }).count()).toBe(1);

    // --- create a reply for the navigator's own skill ------------------------------------------------------------------
    await dialog.getByRole('button', { name: '新建快捷回复' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('cm-title');
    expect(await dialog.locator('#cm-skill option').allTextContents()).toEqual(['公安户政', '综合']);
    await dialog.getByLabel('标题').fill('签注办理');
    await dialog.getByLabel('回复内容').fill('居住证签注可以在京通小程序上办理。');
    await dialog.getByRole('button', { name: '保存' }).click();
    const mine = dialog.locator('.cm-group', { hasText: '业务：公安户政' }).locator('.cm-item', { hasText: '签注办理' });
    await mine.waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('aria-label'))).toBe('编辑“签注办理”');
    await page.locator('.toast', { hasText: '快捷回复已保存' }).waitFor();
    await shot('canned-manager');

    // Escape closes the manager and gives focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key)).toBe('canned-manage');

    // --- the new reply is there to insert, without a reload -------------------------------------------------------------
    await page.locator('#context .canned-item', { hasText: '签注办理' }).click();
    await expect.poll(() => page.locator('#composer-input').inputValue()).toBe('居住证签注可以在京通小程序上办理。');
    await page.locator('#composer-input').fill('');

    // --- edit it (opened with the shortcut, from the composer) ------------------------------------------------------
    await page.locator('#composer-input').focus();
    await page.keyboard.press('Alt+KeyC');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '编辑“签注办理”' }).click();
    await expect.poll(() => dialog.getByLabel('标题').inputValue()).toBe('签注办理');
    await dialog.getByLabel('回复内容').fill('居住证签注可在京通小程序或派出所办理。');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => mine.textContent()).toContain('京通小程序或派出所办理');
    await expect.poll(() => page.locator('#context .canned-item', { hasText: '签注办理' }).textContent()).toContain('京通小程序或派出所办理');

    // --- an empty text: the service's refusal shows next to the field, the form stays ----------------------------------
    await dialog.getByRole('button', { name: '编辑“签注办理”' }).click();
    await dialog.getByLabel('回复内容').fill('   ');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => dialog.locator('#cm-text-error').textContent()).toBe('此项不能为空');
    expect(await dialog.locator('#cm-text').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('cm-text');
    await shot('canned-field-error');
    await dialog.getByRole('button', { name: '取消' }).click();
    await mine.waitFor();
    await expect.poll(() => mine.textContent()).toContain('京通小程序或派出所办理');

    // --- a colleague's change reaches the open manager and the insertion list over the socket -------------------------
    const colleague = await loginToken('colleague');
    const added = await fetch(`${base}/api/console/canned`, {
      method: 'POST', headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: '户籍窗口', text: '户籍业务请到户籍所在地派出所户籍窗口办理。', skill: 'public-security' }),
    });
    expect(added.status).toBe(200);
    await dialog.locator('.cm-item', { hasText: '户籍窗口' }).waitFor();
    await page.locator('#context .canned-item', { hasText: '户籍窗口' }).waitFor();

    // --- delete, after a confirmation ---------------------------------------------------------------------------------
    await dialog.getByRole('button', { name: '删除“签注办理”' }).click();
    await expect.poll(() => mine.locator('.cm-confirm').textContent()).toContain('确定删除“签注办理”吗？');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('保留');
    await mine.locator('.cm-confirm').getByRole('button', { name: '删除' }).click();
    await expect.poll(() => mine.count()).toBe(0);
    await expect.poll(() => page.locator('#context .canned-item', { hasText: '签注办理' }).count()).toBe(0);
    await page.locator('.toast', { hasText: '已删除快捷回复“签注办理”' }).waitFor();
    await dialog.getByRole('button', { name: '关闭' }).click();
    await dialog.waitFor({ state: 'detached' });

    // --- the shortcut is in the help ----------------------------------------------------------------------------------
    await page.getByRole('button', { name: '快捷键' }).click();
    await expect.poll(() => page.locator('#shortcuts-dialog').textContent()).toContain('管理快捷回复');
    await page.keyboard.press('Escape');
    await page.locator('#shortcuts-dialog').waitFor({ state: 'detached' });
  });

  it('lets a supervisor watch a conversation a navigator is serving, read-only and live; a plain navigator has no monitor', async () => {
    // --- its own served conversation: 李导办 (on a socket) takes a citizen while the console is away ----------------------
    await dutyConsole();
    writeOpenCalendar(kbDir, false);
    expect((await fetch(`${base}/api/admin/kb/reload`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    await dutyStatus('away');
    const li = connect(base + NAVIGATOR_NAMESPACE, { path: SOCKET_PATH, auth: { token: await loginToken('colleague'), status: 'available' }, transports: ['websocket'], forceNew: true, reconnection: false }) as unknown as NavigatorSocket;
    sockets.push(li);
    await once(li, 'hello');
    // (an earlier test's socket of the same navigator may be online and away: the status is the navigator's)
    await ok(li, 'status:set', { status: 'available' });
    const liOffer = once(li, 'offer');
    const served = await citizenAsksForPerson('居住证签注在哪里办？');
    const servedId = served.messages[0]!.conversationId;
    const offeredToLi = await liOffer;
    expect(offeredToLi.conversation.id).toBe(servedId);
    await ok(li, 'conversation:accept', { conversationId: servedId });
    await ok(li, 'status:set', { status: 'away' });
    await dutyStatus('available');

    // --- a plain navigator: no monitor tab, the shortcut does nothing, the help does not list it ------------------------
    await page.locator('.topbar .conn.online').waitFor();
    expect(await page.locator('[data-key="nav-monitor"]').count()).toBe(0);
    await page.keyboard.press('Alt+Shift+Digit4');
    await framesRendered(page);
    expect(await page.locator('#view-monitor').isHidden()).toBe(true);
    expect(await page.locator('#view-conversations').isVisible()).toBe(true);
    await page.getByRole('button', { name: '快捷键' }).click();
    await expect.poll(() => page.locator('#shortcuts-dialog').textContent()).toContain('管理快捷回复');
    expect(await page.locator('#shortcuts-dialog').textContent()).not.toContain('会话监控');
    await page.keyboard.press('Escape');
    await page.locator('#shortcuts-dialog').waitFor({ state: 'detached' });

    // --- the supervisor logs in in their own browser, and is away so that no offer goes to them -------------------------
    const boss = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await boss.goto(`${base}/console`);
    await boss.getByLabel('用户名').fill('boss');
    await boss.getByLabel('密码').fill(PASSWORD);
    await boss.getByRole('button', { name: '登录' }).click();
    await boss.locator('.topbar .conn.online').waitFor();
    await boss.locator('#status-select').selectOption('away');
    const dutyToken = await loginToken('duty');
    await expect.poll(async () => {
      const { navigators } = await fetch(`${base}/api/console/navigators`, { headers: { authorization: `Bearer ${dutyToken}` } }).then((r) => r.json() as Promise<{ navigators: Array<{ username: string; status: string }> }>);
      return navigators.find((n) => n.username === 'boss')?.status;
    }).toBe('away');

    // --- Alt+Shift+4 opens the monitor: the conversations the navigators serve now, focus on the first row ----------------
    await boss.keyboard.press('Alt+Shift+Digit4');
    await boss.locator('#view-monitor').waitFor();
    const liRow = boss.locator(`#monitor-table tr[data-conversation="${servedId}"]`);
    await expect.poll(() => liRow.textContent()).toContain('李导办');
    await expect.poll(() => boss.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key ?? '')).toMatch(/^monitor-row-/);

    // --- live: a citizen is handed to the navigator, and the row appears when they accept ---------------------------------
    const fresh = await citizenAsksForPerson('居住证有效期多久？');
    const conversationId = fresh.messages[0]!.conversationId;
    await page.locator(`#offers .card.offer[data-conversation="${conversationId}"]`).waitFor();
    await page.keyboard.press('Alt+KeyA');
    const row = boss.locator(`#monitor-table tr[data-conversation="${conversationId}"]`);
    await expect.poll(() => row.textContent()).toContain('服务中');
    expect(await row.textContent()).toContain('王导办');
    expect(await row.textContent()).toContain('公安户政');

    // --- watching it (keyboard): the whole transcript, read-only, with the focus in it -----------------------------------
    await row.getByRole('button').focus();
    await boss.keyboard.press('Enter');
    const transcript = boss.locator('#monitor-transcript');
    await transcript.locator('.msg.citizen', { hasText: '居住证有效期多久' }).waitFor();
    await transcript.locator('.msg.bot .citations').first().waitFor();
    await transcript.locator('.msg.system').first().waitFor();
    await expect.poll(() => boss.evaluate(() => document.activeElement?.id)).toBe('monitor-transcript');
    expect(await boss.locator('#monitor-pane textarea, #monitor-pane [contenteditable]').count()).toBe(0);
    await expect.poll(() => boss.locator('#monitor-header').textContent()).toContain('只读');

    // --- new messages arrive live: the citizen's, then the navigator's reply -------------------------------------------------
    await ok(fresh.socket, 'message:send', { clientId: 'c-monitored', text: '我的居住证明年三月到期。' });
    await transcript.locator('.msg.citizen', { hasText: '明年三月到期' }).waitFor();
    await page.locator('#transcript .msg.citizen', { hasText: '明年三月到期' }).waitFor();
    await page.locator('#composer-input').fill('居住证有效期一年，到期前请按时签注。');
    await page.keyboard.press('Enter');
    await transcript.locator('.msg.navigator', { hasText: '按时签注' }).waitFor();
    await expect.poll(() => row.locator('time').count()).toBe(1);
    await shot('monitor', boss);
    // Nobody was told: the citizen heard nothing of the supervisor, and the navigator's console shows nothing new.
    expect(fresh.messages.some((m) => m.text.includes('班长'))).toBe(false);
    expect(await page.locator('#transcript').textContent()).not.toContain('张班长');

    // --- Escape stops watching and gives the focus back to the row; the navigator wraps up and the row goes ------------------
    await boss.keyboard.press('Escape');
    await expect.poll(() => boss.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key)).toBe(`monitor-row-${conversationId}`);
    await boss.locator('#monitor-transcript .placeholder').waitFor();
    const wrapped = await fetch(`${base}/api/console/conversations/${conversationId}/wrap-up`, {
      method: 'POST', headers: { authorization: `Bearer ${dutyToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'answered' }),
    });
    expect(wrapped.status).toBe(200);
    await expect.poll(() => row.count()).toBe(0);
    expect(await liRow.count()).toBe(1);

    // --- the supervisor's help lists the shortcut ---------------------------------------------------------------------------
    await boss.getByRole('button', { name: '快捷键' }).click();
    await expect.poll(() => boss.locator('#shortcuts-dialog').textContent()).toContain('会话监控（班长）');
    await boss.keyboard.press('Escape');
    await boss.close();
  });
});

/** The next two frames have run: whatever a key press scheduled has been rendered. */
async function framesRendered(p: Page): Promise<void> {
  await p.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** The console signed in as the duty navigator (王导办): an earlier test's session, or a sign-in now. */
async function dutyConsole(): Promise<void> {
  if (await page.locator('.topbar .conn.online').count()) return;
  await page.goto(`${base}/console`);
  await page.locator('.topbar .conn.online, .login-page').first().waitFor();
  if (await page.locator('.login-page').count()) {
    await page.getByLabel('用户名').fill('duty');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
  }
  await page.locator('.topbar .conn.online').waitFor();
}

/** The console's status select set, once the server has it (offers are routed by it). */
async function dutyStatus(status: 'available' | 'away'): Promise<void> {
  await page.locator('#status-select').selectOption(status);
  const token = await loginToken('duty');
  await expect.poll(async () => {
    const { navigators } = await fetch(`${base}/api/console/navigators`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json() as Promise<{ navigators: Array<{ username: string; status: string }> }>);
    return navigators.find((n) => n.username === 'duty')?.status;
  }).toBe(status);
}

async function loginToken(username: string): Promise<string> {
  const res = await fetch(`${base}/api/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  return ((await res.json()) as { token: string }).token;
}

/** The citizen's session id (their secret), from the first sync the socket received. */
async function sessionOf(socket: CitizenSocket): Promise<string> {
  const { sessionId } = await ok<CitizenSync>(socket, 'sync', { lastSeq: 0 });
  return sessionId;
}
