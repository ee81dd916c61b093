/**
 * A synthetic knowledge base for scale tests and benches: the source's reference files, policies,
 * FAQs and items copied as they are, plus district variants of every valid source item until the
 * requested number of items is reached. Variants are handled at a district's 政务服务中心 or a
 * street's 便民服务中心, with their own addresses, phones, hours, notes, promised time limits and
 * an FAQ about where to go — different enough to be hard to tell apart, and valid (questions and
 * conditions untouched). The output depends only on the source and the seed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { listKnowledgeBase } from './layout.ts';
import { readFiles } from './read-files.ts';
import { ServiceItem } from './schema.ts';
import { DISTRICTS, HOURS, LOCATION_NOTES, SUMMARY_NOTES, type DistrictInfo } from './synth-places.ts';
import { parseYaml } from './yaml-file.ts';
import { seededRandom } from '../common/seeded-random.ts';

export interface SynthOptions {
  /** Source knowledge base (e.g. knowledge-base/). */
  from: string;
  /** Output directory: must not exist or be empty. */
  out: string;
  /** Total number of items in the output, source items included. */
  items: number;
  seed?: number;
}

export interface SynthResult {
  items: number;
  sourceItems: number;
  variants: number;
  files: number;
}

/** Raw item as written in YAML (library refs and omitted defaults kept). */
type RawItem = Record<string, unknown> & { id: string; theme: string; title: string };

interface Place {
  district: DistrictInfo;
  /** Street or town, absent for the district's own service centre. */
  street?: string;
  streetIndex: number;
  /** Second, third ... service station of the same street, once every street is used. */
  branch: number;
}

const CHINESE_NUMERALS = ['', '', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const WRITE_CONCURRENCY = 32;

export async function synthesizeKnowledgeBase(options: SynthOptions): Promise<SynthResult> {
  const seed = options.seed ?? 1;
  const from = path.resolve(options.from);
  const out = path.resolve(options.out);
  await ensureEmpty(out);

  const listing = await listKnowledgeBase(from);
  const texts = await readFiles(from, listing.files);
  const templates: RawItem[] = [];
  for (const file of listing.files) {
    if (file.kind !== 'item') continue;
    const parsed = parseYaml(texts.get(file.rel) ?? '');
    if (parsed.ok && ServiceItem.safeParse(parsed.value).success) templates.push(parsed.value as RawItem);
  }
  const sourceItems = listing.files.filter((f) => f.kind === 'item').length;
  if (options.items < sourceItems) throw new Error(`--items must be at least the ${sourceItems} items of the source`);
  const wanted = options.items - sourceItems;
  if (wanted > 0 && templates.length === 0) throw new Error(`the source at ${from} has no valid item to vary`);
  templates.sort((a, b) => (a.id < b.id ? -1 : 1));

  const writes: Array<[string, string]> = listing.files.map((f) => [f.rel, texts.get(f.rel)!]);
  const takenIds = new Set(templates.map((t) => t.id));
  let variants = 0;
  for (let p = 0; variants < wanted; p++) {
    const place = placeAt(p);
    for (const template of templates) {
      if (variants >= wanted) break;
      const item = vary(template, place, seed);
      if (takenIds.has(item.id)) continue;
      takenIds.add(item.id);
      const rel = `items/${item.theme}/${item.id}.yaml`;
      writes.push([rel, `# Synthetic variant of ${template.id} (npm run kb:synth, seed ${seed}); not real service data.\n${dump(item)}`]);
      variants++;
    }
  }
  await writeAll(out, writes);
  return { items: sourceItems + variants, sourceItems, variants, files: writes.length };
}

async function ensureEmpty(dir: string): Promise<void> {
  const entries = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  if (entries.length > 0) throw new Error(`${dir} is not empty; choose a new output directory`);
}

async function writeAll(root: string, files: ReadonlyArray<[string, string]>): Promise<void> {
  const dirs = new Set(files.map(([rel]) => path.dirname(path.join(root, rel))));
  for (const dir of dirs) await fs.mkdir(dir, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const [rel, text] = files[next++]!;
      await fs.writeFile(path.join(root, rel), text);
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
}

/**
 * The p-th place: first every district's service centre, then the streets of all districts in turn
 * (first street of each district, second street of each ...), then further service stations of them.
 */
function placeAt(p: number): Place {
  const district = DISTRICTS[p % DISTRICTS.length]!;
  const round = Math.floor(p / DISTRICTS.length);
  if (round === 0) return { district, streetIndex: -1, branch: 1 };
  const k = round - 1;
  const streetIndex = k % district.streets.length;
  return { district, street: district.streets[streetIndex]!, streetIndex, branch: 1 + Math.floor(k / district.streets.length) };
}

function vary(template: RawItem, place: Place, seed: number): RawItem {
  const { district, street, branch } = place;
  const rng = prng(`${seed}:${template.id}:${district.slug}:${place.streetIndex}:${branch}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const streetSlug = street === undefined ? '' : `-s${String(place.streetIndex + 1).padStart(2, '0')}`;
  const id = `${template.id}-${district.slug}${streetSlug}${branch > 1 ? `-b${branch}` : ''}`;
  const where = `${district.name}${street ?? ''}`;
  const centre = street === undefined
    ? `${district.name}政务服务中心`
    : `${where}便民服务中心${branch > 1 ? `第${numeral(branch)}服务站` : ''}`;
  const address = `北京市${district.name}${pick(district.roads)}${1 + Math.floor(rng() * 298)}号${street === undefined ? '' : `（${street}办事处${1 + Math.floor(rng() * 3)}层）`}`;
  const phone = `010-${pick(['6', '8', '5'])}${String(Math.floor(rng() * 1e7)).padStart(7, '0')}`;
  const hours = pick(HOURS);
  const baseTitle = template.title.replace(/^(北京市|东城区|西城区|朝阳区|海淀区|丰台区|石景山区|门头沟区|房山区|通州区|顺义区|昌平区|大兴区|怀柔区|平谷区|密云区|延庆区)/, '');
  const title = `${where}${baseTitle}`;

  const item: RawItem = structuredClone(template);
  item.id = id;
  item.title = title;
  if (typeof item.titleEn === 'string') item.titleEn = `${item.titleEn} (${district.slug[0]!.toUpperCase()}${district.slug.slice(1)} District${street ? `, ${street}` : ''})`;
  if (typeof item.family === 'string') item.family = `${item.family}-${district.slug}${streetSlug}${branch > 1 ? `-b${branch}` : ''}`;
  item.level = '区级';
  item.district = district.name;
  const aliases = Array.isArray(item.aliases) ? (item.aliases as string[]) : [];
  item.aliases = [...aliases, ...aliases.slice(0, 2).map((a) => `${district.name}${a}`)];
  item.summary = `${String(item.summary)}本事项在${centre}受理。${pick(SUMMARY_NOTES)}`;
  item.locations = [{
    name: centre,
    address,
    district: district.name,
    phone,
    hours,
    transit: `乘公交至${pick(district.roads)}站下车，步行约${3 + Math.floor(rng() * 12)}分钟`,
    note: pick(LOCATION_NOTES),
  }];
  item.contact = { phone, note: `${centre}咨询电话，工作时间内接听。` };
  varyTimeLimit(item, rng);
  varyMaterialNote(item, where, rng);
  const faqs = Array.isArray(item.faqs) ? (item.faqs as unknown[]) : [];
  item.faqs = [...faqs, { q: `在${district.name}哪里办理${baseTitle}？`, a: `可到${centre}（${address}）办理，${hours}，咨询电话${phone}。` }];
  item.keywords = [...(Array.isArray(item.keywords) ? (item.keywords as string[]) : []), district.name, ...(street ? [street] : [])];
  item.sourceUrl = `https://banshi.beijing.gov.cn/pubtask/task/1/${district.code}/${id}.html`;
  item.updatedAt = daysBefore(String(item.updatedAt), Math.floor(rng() * 120));
  return item;
}

/** Districts often promise less than the statutory or municipal time limit. */
function varyTimeLimit(item: RawItem, rng: () => number): void {
  const tl = item.timeLimit as { promisedDays?: number; statutoryDays?: number | null; note?: string } | undefined;
  if (!tl || typeof tl.promisedDays !== 'number' || tl.promisedDays < 2) return;
  const cut = Math.floor(rng() * Math.min(tl.promisedDays - 1, Math.ceil(tl.promisedDays * 0.4)) + (rng() < 0.5 ? 0 : 1));
  if (cut <= 0) return;
  tl.promisedDays -= cut;
  tl.note = `${tl.note ? `${tl.note}` : ''}本区承诺${tl.promisedDays}个${String((item.timeLimit as { unit?: string }).unit ?? '工作日')}内办结。`;
}

function varyMaterialNote(item: RawItem, where: string, rng: () => number): void {
  const materials = item.materials as Array<{ notes?: string }> | undefined;
  if (!materials?.length || rng() < 0.4) return;
  const m = materials[Math.floor(rng() * materials.length)]!;
  const extra = [`${where}窗口可现场核验电子证照，无需另交复印件。`, `${where}窗口提供免费复印服务。`, `可通过京通向${where}窗口预先上传。`];
  m.notes = `${m.notes ? `${m.notes}` : ''}${extra[Math.floor(rng() * extra.length)]}`;
}

function dump(item: RawItem): string {
  return jsYaml.dump(item, { schema: jsYaml.CORE_SCHEMA, lineWidth: -1, noRefs: true, flowLevel: 4 });
}

function numeral(n: number): string {
  return CHINESE_NUMERALS[n] ?? String(n);
}

function daysBefore(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** The PRNG seeded from a string (its SHA-256's first four bytes). */
function prng(key: string): () => number {
  return seededRandom(createHash('sha256').update(key).digest().readUInt32LE(0));
}
