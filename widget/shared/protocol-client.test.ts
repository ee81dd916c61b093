import net from 'node:net';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../server/realtime/testing/harness.ts';
import { CitizenClient, connectNavigator, DRAIN_RECONNECT_MS, type ConnectionStatus, type MessageView } from './protocol-client.ts';

/** A TCP front like a load balancer: new connections go to whichever instance is current. */
async function balancer(target: () => number): Promise<{ url: string; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const srv = net.createServer((c) => {
    const up = net.connect(target(), '127.0.0.1');
    for (const s of [c, up]) {
      open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => open.delete(s));
    }
    c.pipe(up).pipe(c);
    c.on('close', () => up.destroy());
    up.on('close', () => c.destroy());
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return {
    url: `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`,
    async close() {
      for (const s of open) s.destroy();
      srv.close();
      await once(srv, 'close');
    },
  };
}

const portOf = (h: Harness) => Number(new URL(h.url).port);

describe('clients across a drained instance', () => {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('the citizen reconnects to the next instance promptly and calmly, and the replay brings exactly what was missed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-drain-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const a = await startHarness({ dataDir });
    cleanup.push(() => a.close());
    const b = await startHarness({ dataDir, clock: a.clock });
    cleanup.push(() => b.close());
    let current = a;
    const front = await balancer(() => portOf(current));
    cleanup.push(() => front.close());

    const client = new CitizenClient({ serverUrl: front.url, lang: 'zh', storage: null });
    cleanup.push(() => client.close());
    const statuses: ConnectionStatus[] = [];
    client.on('status', (s) => statuses.push(s));
    const received: MessageView[] = [];
    client.on('message', (m) => received.push(m));
    await new Promise<void>((resolve) => client.on('sync', () => resolve()));
    await client.send('第一条');
    await client.send('第二条');
    expect(client.lastSeq).toBeGreaterThanOrEqual(2);
    const seen = client.lastSeq;

    // Instance a drains; while the citizen is away, instance b stores a message for it.
    current = b;
    const usualDelay = client.socket.io.reconnectionDelay();
    const drainingSeen = new Promise<number>((resolve) => client.socket.once('disconnect', () => resolve(client.socket.io.reconnectionDelay())));
    const resynced = new Promise<MessageView[]>((resolve) => {
      const off = client.on('sync', (messages, _state, reset) => {
        if (reset) return;
        off();
        resolve(messages);
      });
    });
    await a.realtime.drain();
    expect(await drainingSeen).toBe(DRAIN_RECONNECT_MS);
    const conv = (await b.store.getConversationBySession(client.sessionId!))!;
    await b.store.appendMessage({ conversationId: conv.id, sender: 'system', text: '离线期间的消息', createdAt: a.clock.now() });

    const replayed = await resynced;
    expect(replayed.map((m) => m.seq)).toEqual([seen + 1]);
    expect(replayed[0]!.text).toBe('离线期间的消息');
    expect(received.filter((m) => m.seq === seen + 1)).toHaveLength(1);
    expect(client.socket.io.reconnectionDelay()).toBe(usualDelay);
    expect(statuses).toContain('reconnecting');
    expect(statuses).not.toContain('failed');
    expect(statuses.at(-1)).toBe('connected');
    // The conversation continues on the new instance.
    expect((await client.send('第三条')).seq).toBe(seen + 2);
  });

  it('the navigator socket reads its auth (latest lastSeqs) at every connect', async () => {
    const h = await startHarness();
    cleanup.push(() => h.close());
    const nav = await h.navigator({ username: 'lin' });
    nav.socket.disconnect();
    const token = await h.login('lin');
    let lastSeqs: Record<string, number> = {};
    const socket = connectNavigator(h.url, () => ({ token, lastSeqs }));
    cleanup.push(() => socket.disconnect());
    const first = await new Promise<{ replay: unknown[] }>((resolve) => socket.once('hello', resolve));
    expect(first.replay).toEqual([]);
    const { socket: citizen, sync } = await h.citizen();
    cleanup.push(() => citizen.disconnect());
    const conv = (await h.store.getConversationBySession(sync.sessionId))!;
    await h.store.appendMessage({ conversationId: conv.id, sender: 'citizen', text: '你好', createdAt: h.clock.now() });
    lastSeqs = { [conv.id]: 0 };
    socket.disconnect().connect();
    const again = await new Promise<{ replay: Array<{ conversationId: string; messages: MessageView[] }> }>((resolve) => socket.once('hello', resolve));
    // A general-skill navigator may watch a bot conversation: replayed from the seq the auth function reported.
    expect(again.replay.find((r) => r.conversationId === conv.id)?.messages.map((m) => m.text)).toEqual(['你好']);
  });
});
