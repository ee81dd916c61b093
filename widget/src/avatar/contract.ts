/**
 * The contract between the widget and its digital-human chunk (widget-avatar.js, loaded only when the mode is on).
 * Type-only on the widget side, so the chunk shares no code with widget.js and widget.js stays a plain script.
 */

export interface VisemeCue {
  /** ms from the start */
  t: number;
  /** ms */
  d: number;
  viseme: string;
  char: string;
  /** Index of `char` in `spoken`. */
  index: number;
  phone?: string;
}

/** POST /api/speech/visemes */
export interface SpeechTimeline {
  lang: 'zh' | 'en';
  spoken: string;
  timeline: VisemeCue[];
  duration: number;
}

export interface AvatarStrings {
  label: string;
  subtitles: string;
  pause: string;
  resume: string;
  stop: string;
  replay: string;
  noVoice: string;
}

export type AvatarEvent =
  | { type: 'speak'; timeline: SpeechTimeline; voice: string | null }
  | { type: 'viseme'; viseme: string; t: number; index: number }
  | { type: 'end'; reason: 'done' | 'stopped' | 'replaced' };

export interface AvatarOptions {
  /** Where to draw (inside the widget's shadow root). */
  container: HTMLElement;
  strings: AvatarStrings;
  fetchTimeline(text: string, lang: 'zh' | 'en'): Promise<SpeechTimeline>;
  onEvent(event: AvatarEvent): void;
}

export interface AvatarController {
  /** Speaks the text (stopping anything being said): subtitles always, a voice where the device has one. */
  speak(text: string, lang: 'zh' | 'en'): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  replay(): void;
  setStrings(strings: AvatarStrings): void;
  /** Test hook: time stops and moves only by advance(ms); speech synthesis is not used. */
  useManualClock(): void;
  advance(ms: number): void;
  readonly viseme: string;
  readonly speaking: boolean;
  destroy(): void;
}

export type MountAvatar = (options: AvatarOptions) => AvatarController;
