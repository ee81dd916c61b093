/**
 * One Mandarin syllable (toneless pinyin, ü written "v" or "ü") → its mouth shapes.
 *
 * Syllables are split into initial + final the way the phonology has them, not the way they are spelled:
 *   y/w are spelling, not sounds: yi → i, ya → ia, you → iou, yu → ü, yuan → üan, wu → u, wei → uei, weng → ueng;
 *   j/q/x + u is ü (ju → jü);  iu/ui/un after an initial are iou/uei/uen;
 *   i after z/c/s and zh/ch/sh/r is an apical vowel ([ɿ], [ʅ]): the tongue stays where the initial put it, so the
 *   mouth keeps the initial's shape instead of spreading for i.
 * The viseme names follow the common 15-shape (Oculus) set so any avatar rig can use them.
 */

export const VISEMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'I', 'O', 'U'] as const;
export type Viseme = (typeof VISEMES)[number];

export interface SyllableParts {
  initial: string;
  /** The final as pronounced: "iao" for yao, "ü" for ju, "uei" for gui, "-i" for an apical vowel. */
  final: string;
}

/** A mouth shape with its share of the syllable's time. */
export interface VisemeUnit {
  viseme: Viseme;
  /** Relative weight within the syllable. */
  weight: number;
  /** The pinyin unit it stands for ("zh", "ia", "ng"...). */
  phone: string;
}

const INITIALS = ['zh', 'ch', 'sh', 'b', 'p', 'm', 'f', 'd', 't', 'n', 'l', 'g', 'k', 'h', 'j', 'q', 'x', 'r', 'z', 'c', 's'] as const;

const INITIAL_VISEME: Record<string, Viseme> = {
  b: 'PP', p: 'PP', m: 'PP',
  f: 'FF',
  d: 'DD', t: 'DD',
  n: 'nn', l: 'nn',
  g: 'kk', k: 'kk', h: 'kk',
  j: 'SS', q: 'SS', x: 'SS',
  z: 'SS', c: 'SS', s: 'SS',
  zh: 'CH', ch: 'CH', sh: 'CH',
  r: 'RR',
};

/** y/w spellings → the final they stand for. */
const Y_W: Record<string, string> = {
  yi: 'i', ya: 'ia', yo: 'io', ye: 'ie', yao: 'iao', you: 'iou', yan: 'ian', yin: 'in', yang: 'iang', ying: 'ing', yong: 'iong',
  yu: 'ü', yue: 'üe', yuan: 'üan', yun: 'ün',
  wu: 'u', wa: 'ua', wo: 'uo', wai: 'uai', wei: 'uei', wan: 'uan', wen: 'uen', wang: 'uang', weng: 'ueng',
};

/** Finals as pronounced → mouth shapes in order (medial, nucleus, ending) with their weights. */
const FINAL_SHAPES: Record<string, Array<[Viseme, number]>> = {
  a: [['aa', 3]], o: [['O', 3]], e: [['E', 3]], 'ê': [['E', 3]], er: [['E', 1], ['RR', 2]],
  i: [['I', 3]], u: [['U', 3]], 'ü': [['U', 2], ['I', 1]],
  ai: [['aa', 2], ['I', 1]], ei: [['E', 2], ['I', 1]], ao: [['aa', 2], ['U', 1]], ou: [['O', 2], ['U', 1]],
  an: [['aa', 2], ['nn', 1]], en: [['E', 2], ['nn', 1]], ang: [['aa', 2], ['nn', 1]], eng: [['E', 2], ['nn', 1]], ong: [['O', 2], ['nn', 1]],
  ia: [['I', 1], ['aa', 2]], ie: [['I', 1], ['E', 2]], iao: [['I', 1], ['aa', 2], ['U', 1]], iou: [['I', 1], ['O', 2], ['U', 1]],
  ian: [['I', 1], ['E', 2], ['nn', 1]], in: [['I', 2], ['nn', 1]], iang: [['I', 1], ['aa', 2], ['nn', 1]], ing: [['I', 2], ['nn', 1]],
  iong: [['U', 1], ['O', 2], ['nn', 1]], io: [['I', 1], ['O', 2]],
  ua: [['U', 1], ['aa', 2]], uo: [['U', 1], ['O', 2]], uai: [['U', 1], ['aa', 2], ['I', 1]], uei: [['U', 1], ['E', 2], ['I', 1]],
  uan: [['U', 1], ['aa', 2], ['nn', 1]], uen: [['U', 1], ['E', 2], ['nn', 1]], uang: [['U', 1], ['aa', 2], ['nn', 1]], ueng: [['U', 1], ['E', 2], ['nn', 1]],
  'üe': [['U', 1], ['E', 2]], 'üan': [['U', 1], ['E', 2], ['nn', 1]], 'ün': [['U', 2], ['nn', 1]],
  m: [['PP', 3]], n: [['nn', 3]], ng: [['nn', 3]], hm: [['PP', 3]],
};

/** Splits a toneless syllable ("zhong", "yue", "lv", "nü") into its pronounced initial and final. */
export function splitSyllable(raw: string): SyllableParts {
  const s = raw.toLowerCase().replace(/v/g, 'ü').replace(/u:/g, 'ü');
  if (s[0] === 'y' || s[0] === 'w') {
    const final = Y_W[s];
    if (final) return { initial: '', final };
  }
  const initial = INITIALS.find((i) => s.startsWith(i) && s.length > i.length) ?? '';
  let final = s.slice(initial.length);
  if (['j', 'q', 'x'].includes(initial)) final = final.replace(/^u/, 'ü');
  if (initial) {
    if (final === 'iu') final = 'iou';
    else if (final === 'ui') final = 'uei';
    else if (final === 'un') final = ['j', 'q', 'x'].includes(initial) ? 'ün' : 'uen';
  }
  if (final === 'i' && ['z', 'c', 's', 'zh', 'ch', 'sh', 'r'].includes(initial)) final = '-i';
  return { initial, final };
}

/** The mouth shapes of one syllable: the initial (if any) then the final's shapes. */
export function syllableVisemes(syllable: string): VisemeUnit[] {
  const { initial, final } = splitSyllable(syllable);
  const units: VisemeUnit[] = [];
  if (initial) units.push({ viseme: INITIAL_VISEME[initial]!, weight: 1.2, phone: initial });
  if (final === '-i') {
    // apical vowel: hold the initial's shape (SS after z/c/s, CH/RR after zh/ch/sh/r)
    return [{ viseme: INITIAL_VISEME[initial]!, weight: 3, phone: `${initial}-i` }];
  }
  const shapes = FINAL_SHAPES[final];
  if (!shapes) {
    // an unknown spelling still moves the mouth: open on its vowels
    units.push({ viseme: /[ao]/.test(final) ? 'aa' : 'E', weight: 3, phone: final || syllable });
    return units;
  }
  for (const [viseme, weight] of shapes) units.push({ viseme, weight, phone: final });
  return units;
}
