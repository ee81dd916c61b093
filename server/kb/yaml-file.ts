/**
 * YAML parsing with line numbers. The fast path parses with js-yaml (an order of magnitude faster
 * than building a full document); only files that need a line number — a syntax error, or an issue
 * to report — are parsed again with `yaml`'s parseDocument + LineCounter, whose node ranges map a
 * field path to its line.
 */
import jsYaml from 'js-yaml';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { FieldPath } from './issues.ts';

export interface YamlSyntaxError {
  line: number | undefined;
  message: string;
}

export type YamlParse = { ok: true; value: unknown } | { ok: false; errors: YamlSyntaxError[] };

export function parseYaml(text: string): YamlParse {
  try {
    return { ok: true, value: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) };
  } catch {
    return { ok: false, errors: syntaxErrors(text) };
  }
}

/** Every syntax error of a file, as `yaml` reports them (several per file, each with its line). */
function syntaxErrors(text: string): YamlSyntaxError[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({
      line: e.linePos?.[0].line ?? lineCounter.linePos(e.pos[0]).line,
      message: e.message.split('\n')[0] ?? e.message,
    }));
  }
  // js-yaml refused what yaml accepts (rare corner cases): report js-yaml's own reading.
  try {
    jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line?: number } }).mark;
    const reason = (e as { reason?: string }).reason ?? (e as Error).message;
    return [{ line: mark?.line === undefined ? undefined : mark.line + 1, message: reason }];
  }
  return [];
}

/** Finds the line of a field in one file's text; parses the document on first use. */
export class LineLocator {
  private doc: Document | undefined;
  private readonly lineCounter = new LineCounter();

  constructor(private readonly text: string) {}

  lineOf(path: FieldPath): number | undefined {
    this.doc ??= parseDocument(this.text, { lineCounter: this.lineCounter, prettyErrors: false });
    const offset = offsetOf(this.doc.contents, path);
    return offset === undefined ? undefined : this.lineCounter.linePos(offset).line;
  }
}

/**
 * The offset of the deepest node along the path: for a map entry, its key (so "materials: []" points at
 * the "materials" line); for a missing field, the closest existing ancestor.
 */
function offsetOf(root: unknown, path: FieldPath): number | undefined {
  let node: unknown = root;
  let best = rangeStart(root) ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(seg));
      if (!pair) return best;
      best = rangeStart(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return best;
      best = rangeStart(item) ?? best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

function keyOf(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? (node as Node).range?.[0] : undefined;
}
