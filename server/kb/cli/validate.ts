/**
 * `npm run kb:validate [-- --dir DIR]`: load and validate a knowledge base, print every issue as
 * `file:line field: message` (errors, then warnings) and a summary; exit 1 on any error.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.ts';
import { countBySeverity, formatIssue, loadKnowledgeBase, type KbCounts, type KbIssue } from '../index.ts';
import { kbValidators } from '../validators.ts';
import { parseArgs } from './args.ts';

export function summaryLines(counts: KbCounts): string[] {
  return [
    `  items              ${counts.items} (situational ${counts.situationalItems}, with English ${counts.itemsWithEnglish})`,
    `  policies           ${counts.policies}`,
    `  FAQs               ${counts.faqs} general + ${counts.itemFaqs} in items`,
    `  synonym groups     ${counts.synonymGroups}`,
    `  dictionary terms   ${counts.dictionaryTerms}`,
    `  scenarios          ${counts.scenarios}`,
    `  themes             ${counts.themes}`,
    `  departments        ${counts.departments}`,
    `  library questions  ${counts.libraryQuestions}`,
  ];
}

export async function validateCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, ['dir']);
  const dir = path.resolve(args.get('dir') ?? process.env.KB_DIR ?? path.join(PROJECT_ROOT, 'knowledge-base'));
  const started = performance.now();
  const result = await loadKnowledgeBase(dir, { validators: kbValidators });
  const ms = Math.round(performance.now() - started);
  const { errors, warnings } = countBySeverity(result.issues);
  const section = (title: string, list: KbIssue[]) => {
    if (list.length === 0) return;
    out(`${title} (${list.length}):`);
    for (const issue of list) out(`  ${formatIssue(issue)}`);
    out('');
  };
  section('Errors', result.issues.filter((i) => i.severity === 'error'));
  section('Warnings', result.issues.filter((i) => i.severity === 'warning'));
  out(`Knowledge base ${dir}`);
  for (const line of summaryLines(result.counts)) out(line);
  out(`${errors} error(s), ${warnings} warning(s); loaded in ${ms} ms${result.hash ? `; hash ${result.hash.slice(0, 12)}` : ''}`);
  return errors > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  validateCommand(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => process.exit(code),
    (e) => {
      console.error((e as Error).message);
      process.exit(2);
    },
  );
}
