/**
 * The digital human (separate chunk: widget-avatar.js). It speaks each answer with the browser's speechSynthesis
 * (a Chinese voice where the device has one) and moves its mouth along the viseme timeline the server computed
 * from the answer's pinyin. Without a voice it still "speaks" on a timed clock, with subtitles (always shown).
 * Boundary events, where the browser fires them, pull the clock back in step with the voice.
 */
import type { AvatarController, AvatarOptions, AvatarStrings, SpeechTimeline, VisemeCue } from './contract.ts';
import { FACE_SVG, mouthPaths } from './face.ts';

const STYLES = `
.avatar { display: grid; grid-template-columns: auto 1fr; gap: 12px; align-items: center; padding: 10px 14px; }
.avatar .stage { position: relative; width: 150px; height: 150px; }
.avatar svg { display: block; }
.avatar .eye { transform-box: fill-box; transform-origin: center; animation: db-blink 5s infinite; }
.avatar[data-speaking] .stage svg { animation: db-nod 3.2s ease-in-out infinite; transform-origin: 50% 80%; }
@keyframes db-blink { 0%, 95%, 100% { transform: scaleY(1); } 97% { transform: scaleY(.1); } }
@keyframes db-nod { 0%, 100% { transform: rotate(0); } 50% { transform: rotate(1.2deg); } }
@media (prefers-reduced-motion: reduce) { .avatar .eye, .avatar[data-speaking] .stage svg { animation: none; } }
.avatar .side { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.avatar .subtitles { min-height: 4.8em; max-height: 6.4em; overflow: hidden; padding: 8px 10px; border-radius: 10px; background: rgba(17, 29, 51, .86); color: #fff; font-size: 15px; line-height: 1.6; }
.avatar .subtitles .done { color: #ffd54f; }
.avatar .controls { display: flex; gap: 6px; flex-wrap: wrap; }
.avatar .controls button { min-height: 32px; min-width: 44px; padding: 2px 10px; border: 1px solid #8a93a5; border-radius: 8px; background: #fff; color: #1d2433; font-size: 13px; }
.avatar .controls button:disabled { opacity: .5; }
.avatar .note { font-size: 12px; color: #586174; }
`;

interface Clock { now(): number }

function pickVoice(lang: 'zh' | 'en'): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === 'undefined') return null;
  const voices = speechSynthesis.getVoices();
  const want = lang === 'zh' ? /^zh(-|_)?(cn|hans)?/i : /^en/i;
  const candidates = voices.filter((v) => want.test(v.lang));
  return candidates.find((v) => v.localService && /cn|hans/i.test(v.lang)) ?? candidates.find((v) => v.localService) ?? candidates[0] ?? null;
}

/** The cue playing at `ms`, by binary search. */
export function cueAt(timeline: VisemeCue[], ms: number): VisemeCue | undefined {
  let lo = 0;
  let hi = timeline.length - 1;
  let found: VisemeCue | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (timeline[mid]!.t <= ms) {
      found = timeline[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && ms < found.t + Math.max(found.d, 1) ? found : found?.d === 0 ? found : undefined;
}

export function mountAvatar(opts: AvatarOptions): AvatarController {
  let strings: AvatarStrings = opts.strings;
  const root = document.createElement('div');
  root.className = 'avatar';
  const style = document.createElement('style');
  style.textContent = STYLES;
  const stage = document.createElement('div');
  stage.className = 'stage';
  stage.innerHTML = FACE_SVG; // constant markup
  const side = document.createElement('div');
  side.className = 'side';
  const subtitles = document.createElement('div');
  subtitles.className = 'subtitles';
  subtitles.setAttribute('aria-hidden', 'true'); // the chat log already announces the answer
  const done = document.createElement('span');
  done.className = 'done';
  const rest = document.createElement('span');
  subtitles.append(done, rest);
  const controls = document.createElement('div');
  controls.className = 'controls';
  const button = (action: string) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.action = action;
    controls.appendChild(b);
    return b;
  };
  const pauseBtn = button('pause');
  const stopBtn = button('stop');
  const replayBtn = button('replay');
  const note = document.createElement('p');
  note.className = 'note';
  note.hidden = true;
  side.append(subtitles, controls, note);
  root.append(style, stage, side);
  opts.container.appendChild(root);
  const mouth = stage.querySelector<SVGGElement>('.mouth')!;
  const lips = mouth.querySelector<SVGPathElement>('.lips')!;
  const inner = mouth.querySelector<SVGPathElement>('.inner')!;
  const teeth = mouth.querySelector<SVGRectElement>('.teeth')!;
  const tongue = mouth.querySelector<SVGEllipseElement>('.tongue')!;
  const svg = stage.querySelector('svg')!;
  svg.setAttribute('aria-label', strings.label);

  let clock: Clock = { now: () => performance.now() };
  let manual = false;
  let manualNow = 0;
  let current: SpeechTimeline | undefined;
  let last: { text: string; lang: 'zh' | 'en' } | undefined;
  let startedAt = 0;
  let pausedAt: number | undefined;
  let viseme = 'sil';
  let frame = 0;
  let utterance: SpeechSynthesisUtterance | undefined;
  let generation = 0;

  function label(): void {
    pauseBtn.textContent = pausedAt === undefined ? strings.pause : strings.resume;
    stopBtn.textContent = strings.stop;
    replayBtn.textContent = strings.replay;
    svg.setAttribute('aria-label', strings.label);
    pauseBtn.disabled = !current;
    stopBtn.disabled = !current;
    replayBtn.disabled = !last;
  }

  function setMouth(v: string, cue?: VisemeCue): void {
    if (v === viseme && cue) return;
    viseme = v;
    const p = mouthPaths(v);
    lips.setAttribute('d', p.lips);
    inner.setAttribute('d', p.inner);
    inner.setAttribute('fill', p.inner.endsWith('Z') ? '#5a1f1c' : 'none');
    teeth.style.display = p.teeth ? '' : 'none';
    tongue.style.display = p.tongue ? '' : 'none';
    lips.setAttribute('stroke', p.pressed ? '#a34b45' : 'none');
    lips.setAttribute('stroke-width', p.pressed ? '2.5' : '0');
    mouth.setAttribute('data-viseme', v);
    if (cue) opts.onEvent({ type: 'viseme', viseme: v, t: cue.t, index: cue.index });
  }

  function showSubtitle(spoken: string, index: number): void {
    // the sentence being said, the part already said highlighted
    const starts = [...spoken.matchAll(/[^。！？.!?\n]+[。！？.!?]?/g)];
    const sentence = starts.find((m) => index >= m.index! && index < m.index! + m[0].length) ?? starts[starts.length - 1];
    if (!sentence) {
      done.textContent = '';
      rest.textContent = '';
      return;
    }
    const offset = Math.max(0, Math.min(sentence[0].length, index - sentence.index!));
    done.textContent = sentence[0].slice(0, offset);
    rest.textContent = sentence[0].slice(offset);
  }

  function elapsed(): number {
    return (pausedAt ?? clock.now()) - startedAt;
  }

  function tick(): void {
    frame = 0;
    if (!current) return;
    const ms = elapsed();
    const cue = cueAt(current.timeline, ms);
    if (cue) {
      setMouth(cue.viseme, cue);
      showSubtitle(current.spoken, cue.index + cue.char.length);
    } else setMouth('sil');
    if (ms >= current.duration && !(utterance && speechSynthesis.speaking)) {
      finish('done');
      return;
    }
    if (!manual && pausedAt === undefined) frame = requestAnimationFrame(tick);
  }

  function finish(reason: 'done' | 'stopped' | 'replaced'): void {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    if (current && reason === 'done') showSubtitle(current.spoken, current.spoken.length);
    current = undefined;
    pausedAt = undefined;
    utterance = undefined;
    root.removeAttribute('data-speaking');
    setMouth('sil');
    label();
    opts.onEvent({ type: 'end', reason });
  }

  function cancelSpeech(): void {
    if (utterance && typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
    utterance = undefined;
  }

  async function speak(text: string, lang: 'zh' | 'en'): Promise<void> {
    const mine = ++generation;
    if (current) {
      cancelSpeech();
      finish('replaced');
    }
    last = { text, lang };
    const timeline = await opts.fetchTimeline(text, lang);
    if (mine !== generation) return;
    current = timeline;
    pausedAt = undefined;
    root.setAttribute('data-speaking', '');
    const voice = manual ? null : pickVoice(lang);
    note.hidden = Boolean(voice) || manual;
    note.textContent = strings.noVoice;
    label();
    opts.onEvent({ type: 'speak', timeline, voice: voice?.name ?? null });
    startedAt = clock.now();
    if (voice) {
      const u = new SpeechSynthesisUtterance(timeline.spoken);
      u.voice = voice;
      u.lang = voice.lang;
      u.onstart = () => { startedAt = clock.now(); };
      u.onboundary = (e) => {
        // pull the clock to the cue of the character being spoken
        const cue = timeline.timeline.find((c) => c.index >= e.charIndex);
        if (cue && Math.abs(elapsed() - cue.t) > 120) startedAt = clock.now() - cue.t;
      };
      u.onend = () => {
        if (current === timeline) finish('done');
      };
      utterance = u;
      speechSynthesis.speak(u);
    }
    tick();
  }

  pauseBtn.addEventListener('click', () => (pausedAt === undefined ? controller.pause() : controller.resume()));
  stopBtn.addEventListener('click', () => controller.stop());
  replayBtn.addEventListener('click', () => controller.replay());
  setMouth('sil');
  label();

  const controller: AvatarController = {
    speak,
    pause() {
      if (!current || pausedAt !== undefined) return;
      pausedAt = clock.now();
      if (utterance) speechSynthesis.pause();
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      label();
    },
    resume() {
      if (!current || pausedAt === undefined) return;
      startedAt += clock.now() - pausedAt;
      pausedAt = undefined;
      if (utterance) speechSynthesis.resume();
      label();
      tick();
    },
    stop() {
      if (!current) return;
      generation++;
      cancelSpeech();
      finish('stopped');
    },
    replay() {
      if (last) void speak(last.text, last.lang);
    },
    setStrings(next) {
      strings = next;
      label();
    },
    useManualClock() {
      manual = true;
      manualNow = 0;
      clock = { now: () => manualNow };
    },
    advance(ms) {
      manualNow += ms;
      tick();
    },
    get viseme() {
      return viseme;
    },
    get speaking() {
      return current !== undefined;
    },
    destroy() {
      generation++;
      cancelSpeech();
      if (frame) cancelAnimationFrame(frame);
      root.remove();
    },
  };
  return controller;
}
