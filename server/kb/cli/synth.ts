/** `npm run kb:synth -- --items 15000 --out DIR [--from knowledge-base] [--seed 1]`: write a synthetic knowledge base. */
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.ts';
import { synthesizeKnowledgeBase } from '../synth.ts';
import { parseArgs } from './args.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['items', 'out', 'from', 'seed']);
  const items = Number(args.get('items'));
  const out = args.get('out');
  const seed = Number(args.get('seed') ?? 1);
  if (!Number.isInteger(items) || items < 1) throw new Error('--items must be a positive integer');
  if (!out) throw new Error('--out DIR is required');
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const started = performance.now();
  const result = await synthesizeKnowledgeBase({ from: args.get('from') ?? path.join(PROJECT_ROOT, 'knowledge-base'), out, items, seed });
  console.log(`wrote ${result.items} items (${result.sourceItems} from the source, ${result.variants} district variants), ${result.files} files, to ${path.resolve(out)} in ${Math.round(performance.now() - started)} ms`);
  console.log(`validate it with: npm run kb:validate -- --dir ${out}`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(2);
});
