/**
 * The questioning flow, stateless: given every answer the user has given so far (in any order, possibly
 * stale after going back), decide which of them still apply, which material is settled, and what to ask next.
 *
 * Answers are accepted one at a time, always the first question (in the item's order) that can still change
 * some undecided material. Accepting an answer only ever settles materials, so a question that cannot change
 * the checklist now never can again: answers left over at the end are dropped for good.
 */
import type { Answers } from './types.ts';
import { materialStatus, U, type Guide, type MaterialStatus } from './guide.ts';

export interface FlowState {
  /** Accepted answers by question index. */
  answers: Array<string | undefined>;
  /** Accepted question indices, in the order they were accepted. */
  accepted: number[];
  /** Questions answered by the user that no longer matter. */
  dropped: number[];
  /** Status of each material, by material index. */
  statuses: MaterialStatus[];
  /** The next question to ask (index), when some material is still undecided. */
  next?: number;
}

/** `given` must only name the guide's questions and options (see validateAnswers). */
export function runFlow(guide: Guide, given: Answers): FlowState {
  const n = guide.questions.length;
  const provided = new Array<string | undefined>(n);
  for (const [qid, oid] of Object.entries(given)) {
    const i = guide.indexOf.get(qid);
    if (i !== undefined) provided[i] = oid;
  }
  const answers = new Array<string | undefined>(n);
  const accepted: number[] = [];
  const statuses = guide.materials.map((m) => materialStatus(guide, m, answers));
  for (;;) {
    const open = openQuestions(statuses, n);
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (open[i] && provided[i] !== undefined) {
        pick = i;
        break;
      }
    }
    if (pick < 0) {
      const next = open.indexOf(true);
      const dropped: number[] = [];
      for (let i = 0; i < n; i++) if (provided[i] !== undefined && answers[i] === undefined) dropped.push(i);
      return { answers, accepted, dropped, statuses, ...(next >= 0 ? { next } : {}) };
    }
    answers[pick] = provided[pick];
    accepted.push(pick);
    for (const m of guide.materials) {
      if (statuses[m.index]!.truth === U && m.vars.includes(pick)) statuses[m.index] = materialStatus(guide, m, answers);
    }
  }
}

function openQuestions(statuses: readonly MaterialStatus[], n: number): boolean[] {
  const open = new Array<boolean>(n).fill(false);
  for (const s of statuses) for (const q of s.open) open[q] = true;
  return open;
}
