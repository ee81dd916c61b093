import { describe, expect, it } from 'vitest';
import { edit, writeFixtureKb } from '../testing/fixture-kb.ts';
import { validateCommand } from './validate.ts';

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await validateCommand(argv, (l) => lines.push(l));
  return { code, lines };
}

describe('kb:validate', () => {
  it('prints the summary and exits 0 for a valid knowledge base', async () => {
    const { code, lines } = await run(['--dir', writeFixtureKb()]);
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/items\s+2 \(situational 1, with English 1\)/);
    expect(text).toMatch(/FAQs\s+1 general \+ 1 in items/);
    expect(text).toMatch(/synonym groups\s+2/);
    expect(text).toMatch(/dictionary terms\s+3/);
    expect(text).toMatch(/0 error\(s\), 0 warning\(s\)/);
  });

  it('prints errors before warnings as file:line field: message and exits 1', async () => {
    const root = writeFixtureKb({
      ...edit('items/household/hukou-move.yaml', 'department: bj-psb', 'department: bj-nope'),
      'synonyms/common.yaml': '- [居住证, 暂住证, 居住证]\n',
    });
    const { code, lines } = await run(['--dir', root]);
    expect(code).toBe(1);
    const errorAt = lines.indexOf('  items/household/hukou-move.yaml:3 department: unknown department "bj-nope" (not defined in departments.yaml)');
    const warningAt = lines.findIndex((l) => l.startsWith('  synonyms/common.yaml:1 0.2: '));
    expect(errorAt).toBeGreaterThan(0);
    expect(warningAt).toBeGreaterThan(errorAt);
    expect(lines.at(-1)).toMatch(/^1 error\(s\), 1 warning\(s\)/);
  });

  it('rejects unknown arguments', async () => {
    await expect(run(['--directory', 'x'])).rejects.toThrow(/unknown argument "--directory"/);
  });
});
