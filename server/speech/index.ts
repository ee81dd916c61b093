/**
 * Speech for the widget's digital human: what to say and how the mouth moves.
 *   visemeTimeline(text, lang?) → { spoken, timeline: [{ t, d, viseme, char, index, phone }], duration }
 */
export { visemeTimeline, guessLang, TIMING, type VisemeCue, type VisemeTimeline, type SpeechLang } from './timeline.ts';
export { VISEMES, splitSyllable, syllableVisemes, type Viseme, type SyllableParts } from './pinyin-visemes.ts';
export { normalizeZh } from './normalize-zh.ts';
export { normalizeEn } from './english.ts';
export { readInteger, readDigits } from './numbers-zh.ts';
export { plainText } from './plain-text.ts';
