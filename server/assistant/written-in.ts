/**
 * Whether words are written in one text, asked of many words (a question against every name and keyword of its
 * candidate services): a word whose first character the text lacks is not searched for.
 */
export function writtenIn(text: string): (word: string) => boolean {
  const present = new Set<number>();
  for (let i = 0; i < text.length; i++) present.add(text.charCodeAt(i));
  return (word) => word.length === 0 || (present.has(word.charCodeAt(0)) && text.includes(word));
}
