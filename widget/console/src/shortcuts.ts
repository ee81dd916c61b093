/**
 * Keyboard shortcuts for a console used all day. Alt-chords work everywhere (also while typing); "?" only
 * outside text fields. Keys are matched by physical code so they work on any layout and input method.
 */
import type { App } from './app.ts';
import { openCannedManager } from './canned-manager.ts';
import { openShortcuts } from './dialogs.ts';
import { focusMonitor } from './monitor-view.ts';
import { insertIntoComposer } from './render.ts';
import { isHeldBy } from './state.ts';

export function installShortcuts(app: App): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.isComposing || document.querySelector('dialog[open]')) return;
    const inField = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
    if (!e.altKey) {
      if (!inField && e.key === '?') {
        e.preventDefault();
        openShortcuts(app);
      }
      return;
    }
    if (e.ctrlKey || e.metaKey) return;
    const digit = /^Digit([1-9])$/.exec(e.code)?.[1];
    let handled = true;
    if (e.shiftKey) {
      if (digit === '1') app.setView('conversations');
      else if (digit === '2') app.setView('tickets');
      else if (digit === '3') app.setView('team');
      else if (digit === '4' && app.state.me.role === 'supervisor') {
        app.setView('monitor');
        focusMonitor();
      } else handled = false;
    } else if (digit) {
      const reply = app.state.canned[Number(digit) - 1];
      if (reply && isHeldBy(app.state, app.selected())) insertIntoComposer(app, reply.text);
    } else {
      switch (e.code) {
        case 'KeyA': {
          const id = app.oldestOffer();
          if (id) void app.accept(id);
          break;
        }
        case 'KeyD': {
          const id = app.oldestOffer();
          if (id) void app.decline(id);
          break;
        }
        case 'KeyN':
          if (isHeldBy(app.state, app.selected())) {
            app.state.noteMode = !app.state.noteMode;
            app.invalidate('composer');
          }
          app.focusComposer();
          break;
        case 'KeyS':
          app.setSideTab('assist');
          break;
        case 'KeyC':
          openCannedManager(app);
          break;
        case 'KeyM':
          app.focusComposer();
          break;
        case 'ArrowUp':
          app.moveSelection(-1);
          break;
        case 'ArrowDown':
          app.moveSelection(1);
          break;
        default:
          handled = false;
      }
    }
    if (handled) e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
