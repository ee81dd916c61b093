import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// ajv comes with fastify; here it checks that editors using the exported schemas accept real files.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PROJECT_ROOT } from '../config/config.ts';
import { KB_JSON_SCHEMAS, renderJsonSchemas } from './json-schema.ts';
import { FIXTURE_FILES } from './testing/fixture-kb.ts';
import { parseYaml } from './yaml-file.ts';

const SCHEMA_DIR = path.join(PROJECT_ROOT, 'knowledge-base', 'schema');

describe('exported JSON Schemas', () => {
  it('are committed exactly as the code generates them (run npm run kb:schema after changing schema.ts)', () => {
    const rendered = renderJsonSchemas();
    const committed = fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort();
    expect(committed).toEqual([...rendered.keys()].sort());
    for (const [file, text] of rendered) expect(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'), file).toBe(text);
  });

  it('describe the input side: defaults are optional, unknown fields are refused', () => {
    const item = JSON.parse(renderJsonSchemas().get('item.schema.json')!);
    expect(item.required).toContain('materials');
    expect(item.required).not.toContain('aliases');
    expect(item.additionalProperties).toBe(false);
    expect(item.properties.level.enum).toEqual(['市级', '区级']);
  });

  it('cover every YAML file kind of the layout, and accept the valid fixture files', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const rendered = renderJsonSchemas();
    for (const rel of Object.keys(FIXTURE_FILES).filter((f) => f.endsWith('.yaml'))) {
      const pattern = rel.startsWith('items/') ? 'items/<theme>/<id>.yaml' : rel.includes('/') ? `${rel.split('/')[0]}/*.yaml` : rel;
      const entry = KB_JSON_SCHEMAS.find((s) => s.appliesTo === pattern);
      expect(entry, rel).toBeDefined();
      const validate = ajv.compile(JSON.parse(rendered.get(entry!.file)!));
      const parsed = parseYaml(FIXTURE_FILES[rel]!);
      expect(parsed.ok && validate(parsed.value), `${rel}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const item = ajv.compile(JSON.parse(rendered.get('item.schema.json')!));
    expect(item({ id: 'x', level: '省级' })).toBe(false);
  });
});
