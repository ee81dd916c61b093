import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKnowledgeBaseHolder, KnowledgeBaseInvalidError, type KnowledgeBase, type KnowledgeBaseHolder } from './index.ts';
import { edit, FIXTURE_FILES, writeFixtureKb } from './testing/fixture-kb.ts';

const HUKOU = 'items/household/hukou-move.yaml';
const opened: KnowledgeBaseHolder[] = [];
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
});

async function open(root: string, options: Parameters<typeof createKnowledgeBaseHolder>[1] = {}) {
  const holder = await createKnowledgeBaseHolder(root, options);
  opened.push(holder);
  return holder;
}

function write(root: string, rel: string, text: string): void {
  fs.writeFileSync(path.join(root, rel), text);
}

describe('KnowledgeBaseHolder', () => {
  it('refuses to open an invalid knowledge base, listing every issue', async () => {
    const root = writeFixtureKb({ ...edit(HUKOU, 'theme: household', 'theme: nope'), 'synonyms/common.yaml': '- [a, b, a]\n' });
    const error = await createKnowledgeBaseHolder(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KnowledgeBaseInvalidError);
    const message = (error as Error).message;
    expect(message).toContain('has 1 error(s) and 1 warning(s)');
    expect(message).toContain('items/household/hukou-move.yaml:4 theme: unknown theme "nope"');
    expect(message).toContain('warning: synonyms/common.yaml:1 0.2: "a" appears twice');
  });

  it('keeps the old version serving when a reload finds errors, and swaps on success', async () => {
    const root = writeFixtureKb();
    const holder = await open(root);
    const first = holder.current();
    const changes: Array<[KnowledgeBase, KnowledgeBase]> = [];
    holder.onChange((kb, previous) => changes.push([kb, previous]));

    write(root, HUKOU, FIXTURE_FILES[HUKOU]!.replace('department: bj-psb', 'department: bj-nope'));
    const failed = await holder.reload();
    expect(failed).toMatchObject({ ok: false, changed: false, hash: first.hash });
    expect(failed.issues[0]).toMatchObject({ file: HUKOU, field: 'department', line: 3 });
    expect(holder.current()).toBe(first);
    expect(holder.status().lastReload).toMatchObject({ ok: false });
    expect(changes).toHaveLength(0);

    write(root, HUKOU, FIXTURE_FILES[HUKOU]!.replace('summary: 户口迁入朝阳区。', 'summary: 户口从外区迁入朝阳区。'));
    const ok = await holder.reload();
    expect(ok.ok).toBe(true);
    expect(ok.changed).toBe(true);
    expect(ok.hash).not.toBe(first.hash);
    expect(holder.current().itemsById.get('hukou-move')!.summary).toBe('户口从外区迁入朝阳区。');
    expect(changes).toEqual([[holder.current(), first]]);
    expect(holder.status()).toMatchObject({ hash: ok.hash, counts: { items: 2 }, lastReload: { ok: true, hash: ok.hash } });

    const same = await holder.reload();
    expect(same).toMatchObject({ ok: true, changed: false, hash: ok.hash });
    expect(changes).toHaveLength(1);
  });

  it('serialises concurrent reloads into one follow-up', async () => {
    const root = writeFixtureKb();
    const holder = await open(root);
    let loads = 0;
    holder.onChange(() => loads++);
    write(root, HUKOU, FIXTURE_FILES[HUKOU]!.replace('updatedAt: 2026-01-10', 'updatedAt: 2026-01-11'));
    const results = await Promise.all([holder.reload(), holder.reload(), holder.reload()]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[1]).toBe(results[2]);
    expect(loads).toBe(1);
  });

  it('isolates listeners: one that throws does not stop the swap or the others', async () => {
    const root = writeFixtureKb();
    const errors: string[] = [];
    const holder = await open(root, { logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
    let heard = false;
    holder.onChange(() => {
      throw new Error('listener bug');
    });
    const off = holder.onChange(() => (heard = true));
    write(root, HUKOU, FIXTURE_FILES[HUKOU]!.replace('updatedAt: 2026-01-10', 'updatedAt: 2026-01-12'));
    expect((await holder.reload()).changed).toBe(true);
    expect(heard).toBe(true);
    expect(errors[0]).toMatch(/listener bug/);
    off();
  });

  it('watch mode reloads after a file changes, and logs errors without swapping', async () => {
    const root = writeFixtureKb();
    let onError: (msg: string) => void = () => {};
    const holder = await open(root, { watch: true, watchDebounceMs: 20, logger: { info() {}, warn() {}, error: (m) => onError(m) } });
    expect(holder.status().watching).toBe(true);
    const first = holder.current();

    const errorLogged = new Promise<string>((resolve) => (onError = resolve));
    write(root, 'synonyms/common.yaml', '- [居住证]\n');
    expect(await errorLogged).toMatch(/1 error\(s\) after a change; still serving/);
    expect(holder.current()).toBe(first);

    const swapped = new Promise<KnowledgeBase>((resolve) => holder.onChange((kb) => resolve(kb)));
    write(root, 'synonyms/common.yaml', '- [居住证, 暂住证]\n- [户口, 户籍, 户口本]\n');
    const kb = await swapped;
    expect(kb.synonyms[1]).toEqual(['户口', '户籍', '户口本']);
    expect(holder.current()).toBe(kb);
  });
});
