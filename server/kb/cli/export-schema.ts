/** `npm run kb:schema [-- --dir DIR]`: write the JSON Schemas of the knowledge-base files to DIR/schema/. */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.ts';
import { renderJsonSchemas } from '../json-schema.ts';
import { parseArgs } from './args.ts';

export function exportSchemas(kbDir: string): string[] {
  const dir = path.join(kbDir, 'schema');
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of renderJsonSchemas()) {
    fs.writeFileSync(path.join(dir, file), text);
    written.push(path.join(dir, file));
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseArgs(process.argv.slice(2), ['dir']);
    const files = exportSchemas(path.resolve(args.get('dir') ?? path.join(PROJECT_ROOT, 'knowledge-base')));
    for (const f of files) console.log(`wrote ${path.relative(process.cwd(), f)}`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
