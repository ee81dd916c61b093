/**
 * One conversation-service instance over a shared store, on its own manual clock, for tests of restarts, crashes
 * and several instances: it records what it logs as errors, the citizens it starts a grace period for and the
 * states it announces.
 */
import type { SqliteHandoffStore } from '../../storage/index.ts';
import type { ClusterPort } from '../cluster.ts';
import { ManualClock } from '../clock.ts';
import { HandoffService } from '../service.ts';
import { fixtureKb } from './fixture-kb.ts';

export interface TestInstanceOptions {
  now: number;
  citizenGraceMs: number;
  /** The conversations whose citizen has a socket open on some instance (what the realtime layer answers). */
  sockets?: ReadonlySet<string>;
  cluster?: ClusterPort;
  sweepMs?: number;
  graceMs?: number;
}

export type TestInstance = Awaited<ReturnType<typeof startTestInstance>>;

/** Starts the instance; the caller closes `service`. */
export async function startTestInstance(store: SqliteHandoffStore, opts: TestInstanceOptions) {
  const clock = new ManualClock(opts.now);
  const kb = fixtureKb();
  const errors: Array<{ msg: string; e: unknown }> = [];
  const service = new HandoffService({
    store, kb: () => kb, clock, citizenGraceMs: opts.citizenGraceMs, log: { error: (e, msg) => errors.push({ msg, e }) },
    ...(opts.cluster ? { cluster: opts.cluster } : {}),
    ...(opts.sweepMs !== undefined ? { sweepMs: opts.sweepMs } : {}),
    ...(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {}),
  });
  const away: string[] = [];
  const states: string[] = [];
  service.events.on('citizen-away', (id) => away.push(id));
  service.events.on('state', (conv) => states.push(`${conv.id}:${conv.state}`));
  const sockets = opts.sockets ?? new Set<string>();
  service.useCitizenSockets(async (ids) => new Set(ids.filter((id) => sockets.has(id))));
  await service.start();
  /** Moves this instance's time on by `ms`, in steps of at most `step`, letting what falls due in each finish. */
  const advance = async (ms: number, step = ms) => {
    for (let left = ms; left > 0; left -= step) {
      clock.advance(Math.min(step, left));
      await service.settled();
    }
  };
  return { clock, service, errors, away, states, advance };
}
