/**
 * Synonym groups must be disjoint: a term in two groups would make expansion ambiguous (error, naming
 * both places). A term repeated inside one group is harmless but untidy (warning). Dictionary words
 * listed twice are warnings too.
 */
import type { KbContent } from '../content.ts';
import type { Origin, Reporter } from '../reporter.ts';

export function normaliseTerm(term: string): string {
  return term.normalize('NFKC').trim().toLowerCase();
}

export function checkSynonyms(content: KbContent, report: Reporter): void {
  const firstSeen = new Map<string, { at: Origin; index: number }>();
  for (const { value: group, at } of content.synonyms) {
    const inGroup = new Map<string, string>();
    group.forEach((term, i) => {
      const key = normaliseTerm(term);
      const earlier = inGroup.get(key);
      if (earlier !== undefined) {
        report.warning(at, [i], earlier === term
          ? `"${term}" appears twice in this synonym group`
          : `"${term}" repeats "${earlier}" in this synonym group (terms compare ignoring case and full/half width)`);
        return;
      }
      inGroup.set(key, term);
      const other = firstSeen.get(key);
      if (other) {
        report.error(at, [i], `"${term}" is also in the synonym group at ${report.where(other.at, [other.index])}; a term may belong to one group only`);
      } else firstSeen.set(key, { at, index: i });
    });
  }
}

export function checkDictionary(content: KbContent, report: Reporter): void {
  const seen = new Map<string, Origin>();
  for (const { value, at } of content.dict) {
    const first = seen.get(value.word);
    if (first) report.warning(at, [], `"${value.word}" is already in the dictionary (${first.file}:${first.line})`);
    else seen.set(value.word, at);
  }
}
