/** The widget's styles, inside its shadow root: nothing leaks out, the page's styles do not leak in. */
export const STYLES = `
:host { all: initial; position: fixed; z-index: 2147483000; bottom: 20px; right: 20px; font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", system-ui, sans-serif; --accent: #1f4e99; --accent-ink: #fff; --ink: #1d2433; --muted: #586174; --line: #d5dae3; --bg: #fff; --soft: #f3f6fb; --bot: #f3f6fb; --me: var(--accent); --focus: #e8a400; font-size: 15px; line-height: 1.6; color: var(--ink); }
:host([data-position="left"]) { right: auto; left: 20px; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, select, textarea, input { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.launcher { display: flex; align-items: center; gap: 8px; min-height: 56px; padding: 0 22px 0 18px; border: 0; border-radius: 28px; background: var(--accent); color: var(--accent-ink); font-size: 16px; font-weight: 600; box-shadow: 0 8px 24px rgba(15, 35, 80, .28); transition: transform .15s ease; }
.launcher:hover { transform: translateY(-2px); }
.launcher .badge { min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px; background: #c62828; color: #fff; font-size: 12px; line-height: 22px; }

.panel { position: absolute; bottom: 0; right: 0; width: min(400px, calc(100vw - 40px)); height: min(680px, calc(100vh - 40px)); display: flex; flex-direction: column; background: var(--bg); border-radius: 16px; box-shadow: 0 18px 48px rgba(15, 35, 80, .3); overflow: hidden; animation: rise .18s ease-out; }
:host([data-position="left"]) .panel { right: auto; left: 0; }
:host([data-avatar]) .panel { width: min(440px, calc(100vw - 40px)); }
@keyframes rise { from { transform: translateY(12px); opacity: 0; } to { transform: none; opacity: 1; } }

header { display: flex; align-items: center; gap: 10px; padding: 12px 12px 12px 16px; background: var(--accent); color: var(--accent-ink); }
header .mark { flex: none; width: 36px; height: 36px; border-radius: 50%; background: rgba(255,255,255,.18); display: grid; place-items: center; }
header .titles { flex: 1; min-width: 0; }
header h2 { margin: 0; font-size: 16px; font-weight: 700; line-height: 1.3; }
header p { margin: 0; font-size: 12px; opacity: .9; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.icon-btn { display: inline-grid; place-items: center; min-width: 36px; height: 36px; padding: 0 6px; border: 0; border-radius: 8px; background: transparent; color: inherit; }
.icon-btn:hover { background: rgba(255,255,255,.16); }
.icon-btn[aria-pressed="true"] { background: rgba(255,255,255,.28); }
.toolbar { display: flex; align-items: center; gap: 6px; padding: 8px 12px; border-bottom: 1px solid var(--line); background: var(--soft); font-size: 13px; flex-wrap: wrap; }
.toolbar select { height: 32px; border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: 0 6px; }
.toolbar .toggle { display: inline-flex; align-items: center; gap: 4px; min-height: 32px; padding: 0 10px; border: 1px solid var(--line); border-radius: 16px; background: #fff; }
.toolbar .toggle[aria-pressed="true"] { border-color: var(--accent); color: var(--accent); font-weight: 600; background: #eaf0fa; }
.toolbar .human { margin-inline-start: auto; border-color: var(--accent); color: var(--accent); }

.banner { padding: 10px 14px; font-size: 14px; border-bottom: 1px solid var(--line); background: #fff8e1; color: #4a3b00; }
.banner.ok { background: #e8f5e9; color: #1b4d20; }
.banner.info { background: #eaf0fa; color: #17315f; }
.banner.warn { background: #fdecea; color: #7a1c13; }
.banner .actions { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
.btn { min-height: 36px; padding: 4px 14px; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); font-weight: 600; }
.btn.ghost { background: #fff; color: var(--accent); }

.avatar-slot { flex: none; border-bottom: 1px solid var(--line); background: linear-gradient(#eef3fb, #fff); }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 12px; scroll-behavior: smooth; }
.msg { max-width: 88%; display: flex; flex-direction: column; gap: 4px; }
.msg .who { font-size: 12px; color: var(--muted); }
.msg .bubble { padding: 10px 14px; border-radius: 14px; background: var(--bot); word-break: break-word; }
.msg .bubble p { margin: 0 0 6px; } .msg .bubble p:last-child { margin-bottom: 0; }
.msg .bubble ul, .msg .bubble ol { margin: 4px 0 6px; padding-inline-start: 20px; }
.msg .bubble a { color: #0b4aa2; text-decoration: underline; }
.msg.citizen { align-self: flex-end; align-items: flex-end; }
.msg.citizen .bubble { background: var(--me); color: var(--accent-ink); border-end-end-radius: 4px; }
.msg.citizen .bubble a { color: inherit; }
.msg.bot .bubble, .msg.navigator .bubble { border-end-start-radius: 4px; }
.msg.navigator .bubble { background: #eef7ee; border: 1px solid #cfe5cf; }
.msg.system { align-self: center; max-width: 94%; }
.msg.system .bubble { background: transparent; color: var(--muted); font-size: 13px; text-align: center; padding: 2px 8px; }
.msg .pending { font-size: 12px; color: var(--muted); }
.msg .failed { font-size: 12px; color: #b3261e; background: none; border: 0; text-decoration: underline; padding: 0; }
.sources { margin: 2px 0 0; padding: 0; list-style: none; font-size: 12px; color: var(--muted); }
.sources li { margin: 2px 0; }
.sources a { color: #0b4aa2; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; }
.chip { min-height: 34px; padding: 4px 12px; border-radius: 17px; border: 1px solid var(--accent); background: #fff; color: var(--accent); font-size: 14px; text-align: start; }
.chip:hover:not(:disabled) { background: #eaf0fa; }
.chip:disabled { opacity: .55; cursor: default; }
.chips.suggest .chip { border-color: var(--line); color: var(--ink); }
.label { font-size: 12px; color: var(--muted); margin-top: 4px; }
.meta { display: flex; align-items: center; gap: 2px; }
.meta .icon-btn { min-width: 32px; height: 32px; color: var(--muted); }
.meta .icon-btn:hover { background: var(--soft); }
.meta .icon-btn[aria-pressed="true"] { color: var(--accent); background: #eaf0fa; }
.meta .thanks { font-size: 12px; color: var(--muted); }

.card { margin-top: 6px; border: 1px solid var(--line); border-radius: 12px; overflow: hidden; background: #fff; }
.card h3 { margin: 0; padding: 10px 14px; font-size: 15px; background: #eaf0fa; color: #17315f; }
.card .body { padding: 10px 14px; font-size: 14px; }
.card h4 { margin: 8px 0 4px; font-size: 13px; color: var(--muted); font-weight: 600; }
.card ol { margin: 0; padding-inline-start: 20px; }
.card li small { color: var(--muted); }
.card .actions { display: flex; gap: 8px; padding: 10px 14px; border-top: 1px solid var(--line); }
.card .cite { font-size: 12px; color: var(--muted); margin-top: 8px; }

.typing { padding: 0 16px 6px; min-height: 0; font-size: 13px; color: var(--muted); }
.dots { display: inline-flex; gap: 3px; margin-inline-end: 6px; vertical-align: middle; }
.dots i { width: 6px; height: 6px; border-radius: 50%; background: var(--muted); animation: blink 1.2s infinite; }
.dots i:nth-child(2) { animation-delay: .2s; } .dots i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }

.dock { border-top: 1px solid var(--line); background: var(--soft); padding: 12px 14px; }
.dock h3 { margin: 0 0 8px; font-size: 15px; }
.dock form { display: flex; flex-direction: column; gap: 8px; }
.dock label { display: flex; flex-direction: column; gap: 2px; font-size: 13px; color: var(--muted); }
.dock input, .dock textarea { border: 1px solid #8a93a5; border-radius: 8px; padding: 8px 10px; background: #fff; color: var(--ink); font-size: 15px; }
.dock .row { display: flex; gap: 8px; flex-wrap: wrap; }
.dock .error { color: #b3261e; font-size: 13px; margin: 0; }
.scores { display: flex; gap: 8px; }
.scores button { flex: 1; min-height: 44px; border: 1px solid var(--line); border-radius: 10px; background: #fff; font-weight: 600; }
.scores button[aria-pressed="true"] { border-color: var(--accent); background: #eaf0fa; color: var(--accent); }
.ticket { font-size: 20px; font-weight: 700; letter-spacing: 1px; color: var(--accent); }

.composer { display: flex; align-items: flex-end; gap: 6px; padding: 10px 12px; border-top: 1px solid var(--line); background: #fff; }
.composer textarea { flex: 1; resize: none; min-height: 44px; max-height: 120px; padding: 10px 12px; border: 1px solid #8a93a5; border-radius: 12px; line-height: 1.4; background: #fff; color: var(--ink); }
.composer .send { min-width: 44px; height: 44px; border: 0; border-radius: 12px; background: var(--accent); color: var(--accent-ink); display: grid; place-items: center; }
.composer .send:disabled { opacity: .5; cursor: default; }
.composer .mic { min-width: 44px; height: 44px; border: 1px solid var(--line); border-radius: 12px; background: #fff; color: var(--accent); display: grid; place-items: center; }
.composer .mic[aria-pressed="true"] { background: #fdecea; color: #b3261e; border-color: #b3261e; }
.hint { padding: 0 14px 8px; font-size: 12px; color: var(--muted); background: #fff; }
.welcome .examples { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }

/* 适老化: large type, strong contrast, fewer things on screen */
:host([data-elder]) { font-size: 20px; line-height: 1.7; --ink: #000; --muted: #2b2b2b; --line: #555; --bot: #f1f1f1; }
:host([data-elder]) .panel { width: min(520px, calc(100vw - 24px)); height: min(760px, calc(100vh - 24px)); }
:host([data-elder]) header h2 { font-size: 22px; }
:host([data-elder]) header p, :host([data-elder]) .chips.suggest, :host([data-elder]) .label.suggest, :host([data-elder]) .meta { display: none; }
:host([data-elder]) .chip { min-height: 48px; font-size: 19px; padding: 6px 16px; border-width: 2px; }
:host([data-elder]) .composer textarea { font-size: 20px; min-height: 56px; }
:host([data-elder]) .composer .send, :host([data-elder]) .composer .mic { min-width: 56px; height: 56px; }
:host([data-elder]) .msg { max-width: 96%; }
:host([data-elder]) .msg .who, :host([data-elder]) .sources, :host([data-elder]) .label { font-size: 16px; }
:host([data-elder]) .launcher { min-height: 64px; font-size: 20px; }
:host([data-elder]) .btn, :host([data-elder]) .toolbar .toggle, :host([data-elder]) .toolbar select { min-height: 44px; font-size: 18px; }

@media (prefers-reduced-motion: reduce) {
  .panel, .launcher, .dots i { animation: none !important; transition: none !important; }
  .log { scroll-behavior: auto; }
}
@media (max-width: 480px) {
  :host { bottom: 12px; right: 12px; }
  .panel { width: calc(100vw - 24px); height: calc(100vh - 24px); }
}
`;
