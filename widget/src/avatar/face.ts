/** The digital human's face: an SVG navigator whose mouth takes one of the 15 viseme shapes. */

interface MouthShape { open: number; wide: number; teeth?: boolean; pressed?: boolean; tongue?: boolean }

export const MOUTH_SHAPES: Record<string, MouthShape> = {
  sil: { open: 0, wide: 0.9 },
  PP: { open: 0, wide: 0.85, pressed: true },
  FF: { open: 0.15, wide: 0.95, teeth: true },
  TH: { open: 0.2, wide: 0.95, tongue: true },
  DD: { open: 0.3, wide: 0.95 },
  kk: { open: 0.35, wide: 0.9 },
  CH: { open: 0.25, wide: 0.7, teeth: true },
  SS: { open: 0.15, wide: 1.05, teeth: true },
  nn: { open: 0.2, wide: 0.95 },
  RR: { open: 0.28, wide: 0.75 },
  aa: { open: 1, wide: 1 },
  E: { open: 0.55, wide: 1.08, teeth: true },
  I: { open: 0.32, wide: 1.2, teeth: true },
  O: { open: 0.7, wide: 0.68 },
  U: { open: 0.35, wide: 0.52 },
};

const CX = 100;
const CY = 141;

export function mouthPaths(viseme: string): { lips: string; inner: string; teeth: boolean; tongue: boolean; pressed: boolean } {
  const s = MOUTH_SHAPES[viseme] ?? MOUTH_SHAPES.sil!;
  const w = 17 * s.wide;
  const hgt = 15 * s.open;
  const f = (n: number) => n.toFixed(1);
  const lips = `M${f(CX - w)} ${CY} C${f(CX - w * 0.5)} ${f(CY - 3.5 - hgt * 0.45)} ${f(CX + w * 0.5)} ${f(CY - 3.5 - hgt * 0.45)} ${f(CX + w)} ${CY} `
    + `C${f(CX + w * 0.6)} ${f(CY + 4 + hgt)} ${f(CX - w * 0.6)} ${f(CY + 4 + hgt)} ${f(CX - w)} ${CY}Z`;
  const iw = w * 0.78;
  const inner = hgt < 1
    ? `M${f(CX - iw)} ${CY} Q${CX} ${f(CY + 1)} ${f(CX + iw)} ${CY}`
    : `M${f(CX - iw)} ${CY} C${f(CX - iw * 0.5)} ${f(CY - hgt * 0.42)} ${f(CX + iw * 0.5)} ${f(CY - hgt * 0.42)} ${f(CX + iw)} ${CY} `
      + `C${f(CX + iw * 0.55)} ${f(CY + hgt * 0.95)} ${f(CX - iw * 0.55)} ${f(CY + hgt * 0.95)} ${f(CX - iw)} ${CY}Z`;
  return { lips, inner, teeth: Boolean(s.teeth) && hgt >= 1, tongue: Boolean(s.tongue), pressed: Boolean(s.pressed) };
}

/** Static markup only (no message text ever goes in here). */
export const FACE_SVG = `
<svg viewBox="0 0 200 200" width="150" height="150" role="img" aria-hidden="true" focusable="false">
  <defs>
    <linearGradient id="db-bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#dfe9f7"/><stop offset="1" stop-color="#c7d7ef"/></linearGradient>
    <linearGradient id="db-skin" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f8dcc6"/><stop offset="1" stop-color="#efc6a8"/></linearGradient>
  </defs>
  <circle cx="100" cy="100" r="98" fill="url(#db-bg)"/>
  <path d="M28 200c4-38 34-56 72-56s68 18 72 56z" fill="#1f3f73"/>
  <path d="M84 146h32l-6 22h-20z" fill="#fff"/>
  <path d="M100 152l-7 10 7 26 7-26z" fill="#b3261e"/>
  <rect x="88" y="124" width="24" height="26" rx="8" fill="#efc6a8"/>
  <ellipse cx="100" cy="100" rx="44" ry="52" fill="url(#db-skin)"/>
  <ellipse cx="56" cy="104" rx="7" ry="11" fill="#efc6a8"/><ellipse cx="144" cy="104" rx="7" ry="11" fill="#efc6a8"/>
  <path d="M55 96c-4-40 22-58 46-58s50 14 46 58c-4-16-10-26-16-30-14 8-38 10-62 6-8 6-12 14-14 24z" fill="#2b2220"/>
  <g class="brows" fill="none" stroke="#2b2220" stroke-width="3" stroke-linecap="round"><path d="M73 88q9-5 18 0"/><path d="M109 88q9-5 18 0"/></g>
  <g class="eyes" fill="#2b2220"><ellipse class="eye" cx="82" cy="102" rx="4.5" ry="5.5"/><ellipse class="eye" cx="118" cy="102" rx="4.5" ry="5.5"/></g>
  <path d="M100 108q-4 12 0 16" fill="none" stroke="#d9a88a" stroke-width="2.5" stroke-linecap="round"/>
  <ellipse cx="74" cy="123" rx="8" ry="4" fill="#f3a9a0" opacity=".45"/><ellipse cx="126" cy="123" rx="8" ry="4" fill="#f3a9a0" opacity=".45"/>
  <g class="mouth" part="mouth">
    <path class="lips" fill="#c8645c"/>
    <path class="inner" fill="#5a1f1c" stroke="#5a1f1c" stroke-width="1.2"/>
    <rect class="teeth" x="88" y="136" width="24" height="4" rx="1.5" fill="#fff"/>
    <ellipse class="tongue" cx="100" cy="145" rx="7" ry="3" fill="#e07a74"/>
  </g>
  <g transform="translate(122 170)"><rect width="34" height="14" rx="3" fill="#fff"/><text x="17" y="10.5" font-size="8.5" text-anchor="middle" fill="#1f3f73" font-family="sans-serif">导办</text></g>
</svg>`;
