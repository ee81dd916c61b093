/**
 * Time as the handoff capability sees it: "now" and timers (offer timeouts, disconnect grace).
 * Injected so tests decide when an offer expires instead of sleeping.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Runs fn after ms milliseconds of this clock's time. */
  schedule(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that only moves when told to; due timers fire in time order during advance(). */
export class ManualClock implements Clock {
  private current: number;
  private timers: Array<{ at: number; id: number; fn: () => void }> = [];
  private nextId = 0;

  constructor(start: number | string | Date = Date.UTC(2025, 0, 6, 2, 0)) {
    this.current = typeof start === 'number' ? start : new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.current + Math.max(0, ms), id: this.nextId++, fn };
    this.timers.push(timer);
    return { cancel: () => void (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Moves time forward by ms, firing each timer that falls due. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
  }

  /** Jumps to an absolute time (firing due timers on the way). */
  set(to: number | string | Date): void {
    const t = typeof to === 'number' ? to : new Date(to).getTime();
    this.advance(Math.max(0, t - this.current));
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
