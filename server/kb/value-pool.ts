/**
 * Sharing of equal values among the parsed knowledge base, which is immutable once built (deep-frozen):
 *  - Strings. The YAML parser returns substrings of the file text, and V8 keeps a long substring as a slice
 *    that holds the whole text alive: without a fresh copy, a loaded knowledge base retains every file it read.
 *    Items also repeat most of their text (addresses, opening hours, notes, material names, English wordings;
 *    synthetic variants share nearly all of it): one copy of each distinct string is enough.
 *  - Structurally equal plain objects and arrays below the top level (a location, a fee, a question and its
 *    options, an empty list): one instance serves every item that has it. Top-level values (an item, a
 *    policy, an FAQ) keep their own identity, since caches key on them.
 */
export class ValuePool {
  /** Distinct strings, each an own flat copy, numbered in order of first sight. */
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  /** Pooled objects and arrays by structural signature, and their numbers. */
  private readonly shapes = new Map<string, object>();
  private readonly objectIds = new Map<object, number>();
  private unique = 0;
  /** The pooled value of the last `visit`. */
  private pooled: unknown;

  intern(s: string): string {
    this.visit(s);
    return this.pooled as string;
  }

  /**
   * Interns, in place, every string and nested plain object or array of a freshly parsed value (which must
   * not be shared with anything else yet); returns the value itself.
   */
  shareChildren<T>(value: T): T {
    if (isPlain(value)) this.signature(value);
    return value;
  }

  /** The pooled instance equal to a freshly parsed value (strings, plain objects and arrays). */
  share<T>(value: T): T {
    this.visit(value);
    return this.pooled as T;
  }

  /** Pools the value (leaving it in `pooled`) and returns a short token standing for it in its parent's signature. */
  private visit(v: unknown): string {
    this.pooled = v;
    if (typeof v === 'string') {
      let id = this.stringIds.get(v);
      if (id === undefined) {
        id = this.strings.length;
        const own = detach(v);
        this.strings.push(own);
        this.stringIds.set(own, id);
      }
      this.pooled = this.strings[id];
      return `s${id}`;
    }
    if (typeof v === 'number') return `n${v}`;
    if (!v || typeof v !== 'object') return String(v);
    let id = this.objectIds.get(v);
    if (id !== undefined) return `o${id}`;
    // Anything but a plain object or array is left alone, and makes its parent unique.
    if (!isPlain(v)) return `u${this.unique++}`;
    const key = this.signature(v);
    const known = this.shapes.get(key);
    if (known) {
      this.pooled = known;
      return `o${this.objectIds.get(known)!}`;
    }
    id = this.objectIds.size;
    this.shapes.set(key, v);
    this.objectIds.set(v, id);
    this.pooled = v;
    return `o${id}`;
  }

  /** Replaces the children by pooled ones and returns the value's structural signature. */
  private signature(value: object): string {
    if (Array.isArray(value)) {
      let key = 'A';
      for (let i = 0; i < value.length; i++) {
        key += `,${this.visit(value[i] as unknown)}`;
        value[i] = this.pooled;
      }
      return key;
    }
    const record = value as Record<string, unknown>;
    let key = 'O';
    for (const name of Object.keys(record)) {
      key += `,${name.length}:${name}${this.visit(record[name])}`;
      record[name] = this.pooled;
    }
    return key;
  }
}

function isPlain(v: unknown): v is object {
  if (!v || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of the string that shares no storage with the text it was cut from. V8 makes substrings of
 * 13 characters or more slices of their parent; shorter ones are copies already. A JSON round trip
 * builds a new flat string (and is fast for the short strings a knowledge base holds).
 */
function detach(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
