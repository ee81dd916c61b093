import type { ItemQuestion, Question } from './schema.ts';

/** An item's question as asked: a `{ ref }` takes the library question, with the item's wording overriding. */
export function resolveQuestion(q: ItemQuestion, library: ReadonlyMap<string, Question>): Question | undefined {
  if (!('ref' in q)) return q;
  const base = library.get(q.ref);
  if (!base) return undefined;
  return {
    ...base,
    ...(q.text === undefined ? {} : { text: q.text }),
    ...(q.textEn === undefined ? {} : { textEn: q.textEn }),
    ...(q.help === undefined ? {} : { help: q.help }),
    ...(q.helpEn === undefined ? {} : { helpEn: q.helpEn }),
  };
}
