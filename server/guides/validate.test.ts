import { describe, expect, it } from 'vitest';
import type { Question } from '../kb/schema.ts';
import { BY_PROXY, item, kbOf, material } from './fixtures.ts';
import { validateGuides } from './index.ts';
import { MAX_COMBINATIONS } from './validate.ts';

const q = (id: string, options: string[]): Question => ({ id, text: `${id}?`, options: options.map((o) => ({ id: o, label: o, hints: [] })) });
const A = q('a', ['x', 'y', 'z']);
const B = q('b', ['p', 'q']);

function issuesOf(...items: ReturnType<typeof item>[]) {
  return validateGuides(kbOf(items)).map(({ file, field, severity, message }) => ({ file, field, severity, message }));
}

describe('validateGuides', () => {
  it('accepts a sound guide', () => {
    expect(issuesOf(item('ok', [A, BY_PROXY], [material('m0'), material('m1', { a: 'x' }), material('m2', { 'by-proxy': 'proxy' })]))).toEqual([]);
  });

  it('skips items that ask no questions and have no conditions', () => {
    expect(issuesOf(item('plain', [], [material('m0')]))).toEqual([]);
  });

  it('reports a condition naming an unknown question, with file, field and the allowed questions', () => {
    expect(issuesOf(item('bad-q', [A], [material('m0'), material('m1', { any: [{ a: 'x' }, { colour: 'red' }] })]))).toEqual([{
      file: 'items/test/bad-q.yaml',
      field: 'materials.1.when.any.1.colour',
      severity: 'error',
      message: 'material "m1" depends on question "colour", which this item does not ask; questions: a',
    }]);
  });

  it('reports an unknown option with the allowed options', () => {
    const issues = issuesOf(item('bad-o', [A], [material('m0'), material('m1', { a: ['x', 'w'] })]));
    expect(issues).toEqual([{
      file: 'items/test/bad-o.yaml', field: 'materials.1.when.a', severity: 'error',
      message: '"w" is not an option of question "a"; options: x, y, z',
    }]);
  });

  it('reports conditions in an item that asks no questions', () => {
    const issues = issuesOf(item('no-q', [], [material('m0'), material('m1', { a: 'x' })]));
    expect(issues[0]).toMatchObject({ field: 'materials.1.when.a', severity: 'error' });
    expect(issues[0]!.message).toContain('(none: the item asks no questions)');
  });

  it('reports duplicate question and option ids', () => {
    const dupOpt: Question = { id: 'd', text: 'd?', options: [{ id: 'u', label: 'u', hints: [] }, { id: 'u', label: 'v', hints: [] }] };
    const issues = issuesOf(item('dup', [A, A, dupOpt], [material('m0', { a: 'x' })]));
    expect(issues.map((i) => [i.field, i.severity])).toEqual([['questions.1.id', 'error'], ['questions.2.options.1.id', 'error']]);
  });

  it('reports an unreachable material (condition always false)', () => {
    const issues = issuesOf(item('unreach', [A], [material('m0'), material('m1', { all: [{ a: 'x' }, { a: 'y' }] })]));
    expect(issues).toContainEqual({
      file: 'items/test/unreach.yaml', field: 'materials.1.when', severity: 'error',
      message: 'material "m1" is never required: its condition is false for every combination of answers',
    });
  });

  it('reports a condition that always holds', () => {
    const issues = issuesOf(item('taut', [A, B], [material('m0', { b: 'p' }), material('m1', { a: ['x', 'y', 'z'] })]));
    expect(issues).toContainEqual(expect.objectContaining({ field: 'materials.1.when', severity: 'warning', message: expect.stringContaining('always true') }));
  });

  it('points at the part of a condition that is constant', () => {
    const issues = issuesOf(item('part', [A, B], [
      material('m0'),
      material('m1', { any: [{ b: 'p' }, { all: [{ a: 'x' }, { not: { a: 'x' } }] }] }),
      material('m2', { b: 'q', a: ['x', 'y', 'z'] }),
    ]));
    expect(issues).toContainEqual(expect.objectContaining({ field: 'materials.1.when.any.1', severity: 'warning', message: expect.stringContaining('can never hold') }));
    expect(issues).toContainEqual(expect.objectContaining({ field: 'materials.2.when.a', severity: 'warning', message: expect.stringContaining('lists every option of question "a"') }));
  });

  it('reports combinations of answers that leave the checklist empty', () => {
    const issues = issuesOf(item('empty', [A, B], [material('m1', { a: 'x' }), material('m2', { b: 'p' })]));
    expect(issues).toEqual([{
      file: 'items/test/empty.yaml', field: 'materials', severity: 'error',
      message: 'no material is required for 2 combination(s) of answers: a=y, b=q; a=z, b=q',
    }]);
  });

  it('reports a question no material depends on', () => {
    const issues = issuesOf(item('dead', [A, B], [material('m0'), material('m1', { a: 'x' })]));
    expect(issues).toEqual([{
      file: 'items/test/dead.yaml', field: 'questions.1', severity: 'warning',
      message: 'question "b" decides no material: no material\'s condition names it (remove it, or add the condition that uses it)',
    }]);
  });

  it('reports a question that is named but never changes the checklist', () => {
    const issues = issuesOf(item('inert', [A, B], [material('m0'), material('m1', { any: [{ a: 'x', b: 'p' }, { a: 'x', b: 'q' }] })]));
    expect(issues).toEqual([expect.objectContaining({ field: 'questions.1', severity: 'warning', message: expect.stringContaining('never changes the checklist') })]);
  });

  it('does not enumerate an answer space beyond the limit', () => {
    const big = Array.from({ length: 7 }, (_, i) => q(`q${i}`, ['a', 'b', 'c', 'd']));
    expect(4 ** 7).toBeGreaterThan(MAX_COMBINATIONS);
    const issues = issuesOf(item('huge', big, big.map((x, i) => material(`m${i}`, { [x.id]: 'a' }))));
    expect(issues).toEqual([expect.objectContaining({ field: 'questions', severity: 'warning', message: expect.stringContaining('not analysed') })]);
  });

  it('uses the file the item was loaded from', () => {
    const kb = { ...kbOf([item('where', [A], [material('m1', { a: 'w' })])]) };
    const withFile = { ...kb, sourceFiles: new Map([['where', 'items/elsewhere/where.yaml']]) };
    expect(validateGuides(withFile)[0]!.file).toBe('items/elsewhere/where.yaml');
  });
});
