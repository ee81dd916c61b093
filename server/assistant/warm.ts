/**
 * Work done for every knowledge-base object ahead of questions, in the background: a slice per turn of the
 * event loop, so requests keep being answered meanwhile.
 */

/** Objects handled per turn of the event loop. */
const SLICE = 100;

/** Runs `each` over `objects`, a slice per turn; stops early once `current()` is false (the knowledge base was replaced). */
export function inBackground<T>(objects: readonly T[], each: (object: T) => void, current: () => boolean = () => true): Promise<void> {
  return new Promise((resolve) => {
    let i = 0;
    const slice = () => {
      if (!current()) return resolve();
      const end = Math.min(objects.length, i + SLICE);
      for (; i < end; i++) each(objects[i]!);
      if (i < objects.length) setImmediate(slice);
      else resolve();
    };
    setImmediate(slice);
  });
}
