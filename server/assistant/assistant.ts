/**
 * The dialogue policy: routes each message (safety first), keeps the conversation's context, decides between
 * answering, asking which item is meant, running a situational checklist and handing off to a person, and
 * composes the reply from the knowledge base only.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { ServiceItem } from '../kb/schema.ts';
import type { Retriever } from '../retrieval/types.ts';
import { normalizeText } from '../retrieval/index.ts';
import type { Checklist, Evaluation, GuideQuestion, NewChecklistSnapshot } from '../guides/types.ts';
import { ASPECTS, detectAspect, subjectOf, type Aspect } from './aspects.ts';
import { DEFAULT_FAQ_BASE_URL, dedupeCitations, faqCitation, itemCitation, itemTitle, sourceText } from './citations.ts';
import { composeFaq, composeItemFaq, composeMaterials, type ComposeContext, type Composed } from './compose-extractive.ts';
import { askShape, asksAboutOneMaterial, composeItemAnswer, itemIndex, PROXY_ASKED, speaksOfMaterials } from './answer-select.ts';
import { speaksOfWord, uncoveredByFaq } from './coverage.ts';
import { warmItemTerms } from './discriminate.ts';
import { checkFiguresIn, learnFigures } from './grounding.ts';
import { inBackground } from './warm.ts';
import { isGuideRequest, isLeaveGuide, isRestartGuide, languageSwitch, personalRecordTopic, routeIntent, yesNo, type RoutedIntent } from './intents.ts';
import { normalize, replyLang } from './language.ts';
import type { AnswerComposer, ComposeRequest } from './composer.ts';
import type { ChatReply, Citation, Lang, ReplyOption, ReplyStatus } from './reply.ts';
import { choiceToldApart, faqNamesItsService, faqOf, nameIndex, namesItem, pickChoice, relatedPicked, resolve, siblingToldApart, type Resolution } from './resolve.ts';
import { newState, type DialogueState, type PendingClarify, type SessionStore } from './session-store.ts';
import { workingHoursText } from './service-hours.ts';
import { sharedAspectAnswer } from './shared-answer.ts';
import { loadTemplates, type Templates } from './templates.ts';
import type { Assistant, AssistantInput, DeltaListener, HandoffInfo, HandoffPort } from './types.ts';

/** The guides capability as the assistant uses it (server/guides createGuides satisfies it). */
export interface GuidesPort {
  has(itemId: string): boolean;
  evaluate(itemId: string, answers: Readonly<Record<string, string>>, lang?: Lang): Evaluation;
  interpretAnswer(itemId: string, questionId: string, text: string, lang?: Lang): string | undefined;
  snapshot?(itemId: string, answers: Readonly<Record<string, string>>, lang?: Lang): NewChecklistSnapshot;
}

/** Saves a checklist snapshot and returns its share/print URL. */
export type ChecklistSharer = (snapshot: NewChecklistSnapshot) => Promise<string>;

type Getter<T> = T | (() => T);
const get = <T>(g: Getter<T>): T => (typeof g === 'function' ? (g as () => T)() : g);

export interface AssistantDeps {
  /** The current knowledge base (a getter: it is replaced on reload). */
  kb: Getter<KnowledgeBase>;
  retriever: Getter<Retriever>;
  guides?: Getter<GuidesPort | undefined>;
  /** The handoff port, or a getter (the conversation service may be built after the assistant). */
  handoff?: Getter<HandoffPort | undefined>;
  sessions: SessionStore;
  /** The LLM composer (when configured); the extractive composer is always the fallback. */
  composer?: AnswerComposer;
  /** Directory of the reply templates (default prompts/). */
  promptsDir?: string;
  /** Base URL for links to general FAQs (default https://banshi.beijing.gov.cn/faq). */
  faqBaseUrl?: string;
  shareChecklist?: ChecklistSharer;
}

/** What the reply says about a running or finished checklist. */
export interface ChecklistState {
  itemId: string;
  answers: Record<string, string>;
  complete: boolean;
  /** The question being asked (while running). */
  question?: { id: string; text: string };
  checklist?: Checklist;
  shareUrl?: string;
}

export interface DaobanAssistant extends Assistant {
  readonly sessions: SessionStore;
  /**
   * Builds what the dialogue policy derives from a knowledge base (item names, FAQs by item) ahead of the first
   * question about it; otherwise the first question after a start or reload pays for it (~0.8 s on 15,000 items).
   * Each item's terms (its names, segmented) follow in the background: the promise settles when they are ready.
   * Call it once the retriever for `kb` is current.
   */
  prepare(kb: KnowledgeBase): Promise<void>;
}

const LOW_CONFIDENCE = 0.5;
/** Characters of subject (beyond aspect words and fillers) a follow-up on the current item may carry, or Latin words. */
const SHORT_FOLLOW_UP = 3;
const SHORT_FOLLOW_UP_WORDS = 2;

/** Whether a subject is short enough for a follow-up: a few characters, or in English a couple of words. */
function isShort(subject: string): boolean {
  const latin = subject.match(/[a-z][a-z'-]*/gi) ?? [];
  const rest = subject.replace(/[a-z][a-z'-]*/gi, '').replace(/\s+/g, '');
  return latin.length ? latin.length <= SHORT_FOLLOW_UP_WORDS && rest.length === 0 : rest.length <= SHORT_FOLLOW_UP;
}

/** Resolutions at least this sure come from a service's name written in the question. */
const NAMED = 0.75;

/**
 * Whether a resolution names a service other than `current` (an FAQ matched by a few words, or the retriever's
 * guess, does not: "多久能收到" after a question about one service is about that service).
 */
function namesAnother(kb: KnowledgeBase, res: Resolution, current: ServiceItem, message: string): boolean {
  if (res.kind === 'item') return res.item.id !== current.id && res.confidence >= NAMED;
  // a family of other services named ("居住证要多久" while a company checklist was under way)
  return res.kind === 'clarify' && !!res.family && !res.choices.some((c) => c.id === current.id) && res.choices.some((c) => namesItem(kb, c, message));
}

/**
 * Question words: a message with one asks something, rather than answering a checklist question. In English a
 * question opens with them ("is it free"); inside a statement they are only words ("my wife is from Hong Kong").
 */
const QUESTION_FORM = /[?？]|吗|怎么|如何|什么|哪|啥|能否|可否|是否|能不能|可不可以|是不是|有没有|要不要|多少|几|问|咨询|^(how|what|where|when|which|who|why|can|could|do|does|is|are|should|will|would|may)\b|\b(how|what|where|when|which|why)\b/;

/** Whether a message in the middle of a checklist asks a question, names a service, or says much more than an option would. */
function asksSomethingElse(kb: KnowledgeBase, message: string): boolean {
  const text = normalize(normalizeText(message));
  if (QUESTION_FORM.test(text) || subjectOf(message).replace(/\s+/g, '').length >= 8) return true;
  for (const names of nameIndex(kb).names.values()) if (names.some((n) => text.includes(n))) return true;
  return false;
}

/** Whether a message asks something (a question word or mark, or an aspect), rather than stating a situation ("我是外地户口"). */
function asksSomething(message: string): boolean {
  return QUESTION_FORM.test(normalize(normalizeText(message))) || !!detectAspect(message);
}

/** Puts the dialogue state back as `saved` holds it (fields added since are removed). */
function restoreState(state: DialogueState, saved: DialogueState): void {
  for (const key of Object.keys(state) as Array<keyof DialogueState>) if (!(key in saved)) delete state[key];
  Object.assign(state, structuredClone(saved));
}

/** Whether a question's subject (aspect and filler words removed) names anything: "那要多久?" names nothing. */
function namesSomething(subject: string): boolean {
  return subject.replace(/\s+/g, '').length >= 2;
}

interface Draft {
  status: ReplyStatus;
  answer: string;
  intent: string;
  confidence: number;
  citations?: Citation[];
  options?: ReplyOption[];
  suggestions?: string[];
  item?: ServiceItem;
  checklist?: ChecklistState;
  handoff?: HandoffInfo | { state: 'offered' };
  /** Already streamed (LLM); otherwise the answer is streamed when the reply is final. */
  streamed?: boolean;
}

export function createAssistant(deps: AssistantDeps): DaobanAssistant {
  const templates = loadTemplates(deps.promptsDir);
  const faqBaseUrl = deps.faqBaseUrl ?? DEFAULT_FAQ_BASE_URL;

  async function reply(input: AssistantInput, onDelta?: DeltaListener): Promise<ChatReply> {
    const kb = get(deps.kb);
    // a new session is stored once, with the turn (save below), not created and then saved
    const state = (await deps.sessions.get(input.sessionId)) ?? newState(input.lang ?? 'zh', input.sessionId);
    const message = input.message.trim();
    const switchTo = languageSwitch(message);
    const lang: Lang = switchTo ?? replyLang(message, input.lang, state.lang);
    state.lang = lang;
    state.turns++;
    const t = templates[lang];
    const ctx = (): ComposeContext => ({ kb, lang, t, situation: state!.situation });

    const draft = await decide({ kb, state, message, lang, t, ctx, switchTo, onDelta });

    // two low-confidence replies in a row lead to a person
    if (draft.status === 'answered' || draft.status === 'clarify') {
      state.lowConfidence = draft.confidence < LOW_CONFIDENCE ? state.lowConfidence + 1 : 0;
    } else if (draft.status !== 'handoff') state.lowConfidence = 0;
    let final = draft;
    if (state.lowConfidence >= 2 && !state.handoffStarted) {
      final = await startHandoff(kb, state, t, 'low-confidence', draft.confidence, message, draft);
    }
    if (final.item) state.itemId = final.item.id;
    await deps.sessions.save(state);

    if (onDelta && !final.streamed) for (const piece of chunksOf(final.answer)) onDelta(piece);
    return {
      sessionId: state.id,
      status: final.status,
      answer: final.answer,
      citations: dedupeCitations(final.citations ?? []),
      ...(final.options?.length ? { options: final.options } : {}),
      confidence: Math.round(final.confidence * 100) / 100,
      suggestions: final.suggestions ?? [],
      lang,
      intent: final.intent,
      ...(final.item ? { item: { id: final.item.id, title: itemTitle(final.item, lang) } } : {}),
      ...(final.checklist ? { checklist: final.checklist } : {}),
      ...(final.handoff ? { handoff: final.handoff } : {}),
    };
  }

  interface Turn {
    kb: KnowledgeBase;
    state: DialogueState;
    message: string;
    lang: Lang;
    t: Templates;
    ctx: () => ComposeContext;
    switchTo: Lang | undefined;
    onDelta: DeltaListener | undefined;
  }

  async function decide(turn: Turn): Promise<Draft> {
    const { kb, state, message, t } = turn;
    const routed = routeIntent(message);
    if (routed === 'emergency' || routed === 'self-harm') {
      state.guide = undefined;
      state.clarify = undefined;
      return { status: 'refused', answer: t.text(routed === 'emergency' ? 'emergency' : 'self_harm'), intent: routed, confidence: 1 };
    }
    if (routed === 'unsafe') return { status: 'refused', answer: t.text('unsafe'), intent: 'unsafe', confidence: 1, suggestions: [t.text('suggest.human')] };

    // a waiting yes/no to a handoff offer
    if (state.handoffOffered) {
      const reason = state.handoffOffered;
      state.handoffOffered = undefined;
      const yn = yesNo(message);
      if (yn === 'yes') return startHandoff(kb, state, t, reason, 1, message);
      if (yn === 'no') return { status: 'answered', answer: t.text('thanks'), intent: 'handoff-declined', confidence: 1 };
    }

    if (state.guide) {
      const guided = await continueGuide(turn, routed);
      if (guided) return guided;
    }
    if (state.clarify) {
      const choices = state.clarify.choices.map((c) => c.itemId);
      const picked = pickChoice(kb, message, choices);
      const pending = state.clarify;
      state.clarify = undefined;
      const item = picked ? kb.itemsById.get(picked) : undefined;
      if (item) {
        state.situation = {};
        return answerItem(turn, item, pending.aspect, 0.9, 'clarified');
      }
      const offered = pending.choices.map((c) => kb.itemsById.get(c.itemId)).filter((i): i is ServiceItem => !!i);
      const told = await choiceToldApart(kb, get(deps.retriever), offered, message);
      if (told) {
        state.situation = {};
        return answerItem(turn, told, (routed ? undefined : detectAspect(message)) ?? pending.aspect, 0.8, 'clarified');
      }
      // "网上能办吗" before picking: an aspect without a service named is about the choices on offer
      const aspect = routed ? undefined : detectAspect(message);
      if (aspect && !namesSomething(subjectOf(normalizeText(message)))) {
        const choices = pending.choices.map((c) => kb.itemsById.get(c.itemId)).filter((i): i is ServiceItem => !!i);
        const shared = await answerShared(turn, { ...pending, aspect }, choices, 0.7);
        if (shared) return shared;
        return offerAgain(turn, { ...pending, aspect }, t.text('clarify_pending_aspect', { aspect: t.text(`labels.${aspect}`) }), 0.6);
      }
      // not a choice: handled as a new question below; if that finds nothing, or only a guess among loosely
      // related services ("我是北京户口，对方是外地的" to 内地 / 涉外结婚登记), the choices are offered again
      // (a reading not taken leaves the conversation as it was: routing moves the current service, starts checklists)
      const before = structuredClone(state);
      const again = await route(turn, routed);
      const nothing = again.status === 'answered' && again.intent === 'not-found';
      const guess = again.status === 'clarify' && again.intent === 'clarify-items' && again.confidence < LOW_CONFIDENCE;
      // a statement of the citizen's situation ("我是外地户口") answers the question asked, unless it names the
      // service it was taken for: another service found by its common words is no reply to the choices
      const found = again.item ? [again.item.id] : again.status === 'clarify' ? (again.options ?? []).map((o) => o.id) : [];
      const namedHere = (id: string) => { const i = kb.itemsById.get(id); return !!i && namesItem(kb, i, message); };
      const aside = !asksSomething(message) && found.length > 0 && !found.some((id) => choices.includes(id) || namedHere(id));
      if (nothing || guess || aside) {
        // the reply read together with the question that needed the choice ("公积金怎么提取" + "租房"), when that
        // answers it outright
        if (pending.question) {
          restoreState(state, before);
          const joined = await route({ ...turn, message: `${pending.question} ${message}` }, undefined);
          if (joined.status === 'answered' && joined.intent !== 'not-found' && joined.item) return joined;
        }
        restoreState(state, before);
        return offerAgain(turn, pending, t.text('clarify_unknown_choice'), 0.3);
      }
      return again;
    }
    return route(turn, routed);
  }

  /**
   * The clarification's choices all answer its aspect alike: that answer, with the choices still on offer (and
   * pending) for whatever else differs between them. Undefined when the answers differ.
   */
  async function answerShared(turn: Turn, pending: PendingClarify, choices: readonly ServiceItem[], confidence: number): Promise<Draft | undefined> {
    const shared = sharedAspectAnswer(turn.ctx(), choices, pending.aspect);
    if (!shared) return undefined;
    // picking one afterwards is for what differs: its overview, not this aspect again
    turn.state.clarify = { choices: pending.choices };
    const draft = await finishAnswer(turn, shared, { sources: [...choices], confidence, intent: 'shared-answer', ...(pending.aspect ? { aspect: pending.aspect } : {}) });
    return { ...draft, options: pending.choices.map((c) => ({ id: c.itemId, label: c.label, value: c.label })) };
  }

  /** The pending clarification's choices, offered again (with their citations) and kept pending. */
  function offerAgain(turn: Turn, pending: PendingClarify, answer: string, confidence: number): Draft {
    const { kb, state, lang } = turn;
    state.clarify = pending;
    const items = pending.choices.map((c) => kb.itemsById.get(c.itemId)).filter((i): i is ServiceItem => !!i);
    return {
      status: 'clarify', answer, intent: 'clarify-repeat', confidence,
      options: pending.choices.map((c) => ({ id: c.itemId, label: c.label, value: c.label })),
      citations: items.map((i) => itemCitation(i, lang)),
    };
  }

  async function route(turn: Turn, routed: RoutedIntent | undefined): Promise<Draft> {
    const { kb, state, message, t, lang } = turn;
    switch (routed) {
      case 'greeting':
      case 'thanks':
      case 'goodbye':
      case 'acknowledge':
      case 'about':
        return { status: 'answered', answer: t.text(routed), intent: routed, confidence: 1, suggestions: routed === 'goodbye' ? [] : t.list('default_suggestions') };
      case 'service-hours':
        return {
          status: 'answered', answer: t.text('service_hours', { hours: workingHoursText(kb.calendar, lang) }), intent: 'service-hours', confidence: 1,
          suggestions: [t.text('suggest.human'), ...t.list('default_suggestions')].slice(0, 4),
        };
      case 'out-of-scope':
        return { status: 'out_of_scope', answer: t.text('out_of_scope'), intent: 'out-of-scope', confidence: 1, suggestions: t.list('default_suggestions') };
      case 'human-request':
        return startHandoff(kb, state, t, 'user-request', 1, message);
      case 'complaint': {
        const draft = await startHandoff(kb, state, t, 'complaint', 1, message);
        return { ...draft, answer: `${t.text('complaint')}\n\n${draft.answer}`, intent: 'complaint' };
      }
      case 'personal-record': {
        const topic = personalRecordTopic(message);
        const dept = personalRecordDepartment(kb, topic, state.itemId);
        const what = lang === 'en'
          ? ({ 'housing-fund': 'your housing fund account', 'social-insurance': 'your social insurance records', progress: 'the progress of your application', other: 'personal records' } as const)[topic]
          : ({ 'housing-fund': '住房公积金账户信息', 'social-insurance': '社会保险个人记录', progress: '办件进度', other: '个人信息' } as const)[topic];
        const channel = dept?.hotline ? t.text('personal_record_channel', { name: lang === 'en' ? dept.nameEn : dept.name, phone: dept.hotline }) : '';
        state.handoffOffered = 'personal-record';
        return {
          status: 'handoff', answer: t.text('personal_record', { what, channel }).replace(/\n\s*\n/g, '\n'), intent: 'personal-record', confidence: 1,
          handoff: { state: 'offered' }, options: [{ id: 'handoff', label: t.text('suggest.human'), value: t.text('suggest.human') }],
        };
      }
      default:
        break;
    }

    const current = state.itemId ? kb.itemsById.get(state.itemId) : undefined;
    if (turn.switchTo) {
      if (current) return answerItem(turn, current, state.aspect, 0.9, 'language-switch');
      return { status: 'answered', answer: t.text('greeting'), intent: 'language-switch', confidence: 1, suggestions: t.list('default_suggestions') };
    }
    if (isGuideRequest(message) && current && get(deps.guides)?.has(current.id)) return startGuide(turn, current);

    const aspect = detectAspect(message);
    const subject = subjectOf(normalizeText(message));
    const retriever = get(deps.retriever);
    // few enough words beyond the aspect to be a follow-up on the current item ("多久能收到", "能寄到家吗")
    const shortFollowUp = !!current && isShort(subject);
    const proxy = PROXY_ASKED.test(normalize(message));

    // a member of the current service's family told apart by what it does ("换发" after 护照首次申领, "丢了怎么办"),
    // with the aspect asked last ("要多久" then "补领呢")
    const sibling = current && shortFollowUp ? siblingToldApart(kb, retriever, current, message) : undefined;
    if (sibling) {
      state.situation = {};
      return answerItem(turn, sibling, aspect ?? state.aspect, 0.8, 'follow-up');
    }

    // a follow-up about the current item: "那要多久?", "代办呢?", "can someone else do it for me?"
    if (current && !namesSomething(proxy ? subject.replace(new RegExp(PROXY_ASKED.source, 'g'), ' ') : subject)) {
      const cues = applyCues(turn, current);
      if (aspect || cues) return answerItem(turn, current, aspect ?? (cues ? 'materials' : state.aspect), 0.85, 'follow-up');
      // "代办呢?" about an item without that situation: the materials say what a proxy brings, if anything
      if (proxy) return answerItem(turn, current, 'materials', 0.6, 'follow-up');
      // "能领多少" after "养老金怎么领": a figure asked, not the steps asked last; the guide's own words, if not stated
      const shape = askShape(message);
      return answerItem(turn, current, shape.benefit || shape.deadline ? undefined : state.aspect, 0.55, 'follow-up');
    }

    // one of the services the last answer spoke of, picked by a follow-up in their own words ("租房")
    const related = (state.related ?? []).map((id) => kb.itemsById.get(id)).filter((i): i is ServiceItem => !!i);
    state.related = undefined;
    const picked = related.length ? relatedPicked(kb, retriever, related, message) : undefined;
    if (picked) {
      state.situation = {};
      return answerItem(turn, picked, aspect, 0.8, 'follow-up');
    }

    const res = await resolve({ message, subject, kb, retriever, hasAspect: !!aspect, ...(aspect ? { aspect } : {}) });
    // the citizen's situation for the service under discussion ("对方是香港人", "my fiancee is from Hong Kong"): its
    // materials for that situation, unless the statement names another service
    if (current && !asksSomething(message) && !namesAnother(kb, res, current, message) && applyCues(turn, current)) {
      return answerItem(turn, current, 'materials', 0.8, 'follow-up');
    }
    // a short aspect question ("多久能收到", "去哪换", "网上能办吗") stays on the current item unless it names another service
    if (current && aspect && shortFollowUp && !namesAnother(kb, res, current, message)) {
      return answerItem(turn, current, aspect, 0.8, 'follow-up');
    }
    // another service's FAQ matched by the wording of a follow-up that names no service ("能寄到家吗" after
    // 护照换发 is not "身份证做好了能寄到家吗"): the question is about the current service
    const faq = faqOf(kb, res);
    // nor is another service's FAQ or item found by a short follow-up's words without its name ("需要体检吗" after
    // 残疾人证 is not the driving licence's "换证需要体检吗", though 体检 is among that service's keywords)
    if (current) {
      const elsewhere = faq?.item ?? (res.kind === 'item' ? res.item : undefined);
      const mates = !!elsewhere?.family && elsewhere.family === current.family;
      const unnamed = shortFollowUp && !!elsewhere && elsewhere.id !== current.id && !mates && !namesItem(kb, elsewhere, message, false);
      const otherFaq = !!faq?.item && faq.item.id !== current.id && (unnamed || faqNamesItsService(kb, faq.item, faq.question, normalize(normalizeText(message))));
      if (otherFaq || (unnamed && res.kind === 'item' && res.confidence < NAMED)) {
        return (await answeredBy(turn, current)) ?? (aspect ? answerItem(turn, current, aspect, 0.5, 'follow-up') : notFound(turn, current));
      }
    }
    switch (res.kind) {
      case 'faq': {
        const composed = composeFaq(turn.ctx(), res.faq, faqCitation(res.faq, kb, lang, faqBaseUrl));
        const item = faq?.item;
        if (item && item.id !== state.itemId) state.situation = {};
        if (!item && res.faq.items.length >= 2) state.related = [...res.faq.items];
        return finishAnswer(turn, composed, { sources: [res.faq, ...(item ? [item] : [])], item, confidence: res.confidence, intent: 'faq' });
      }
      case 'item-faq': {
        if (res.item.id !== state.itemId) state.situation = {};
        return finishAnswer(turn, composeItemFaq(turn.ctx(), res.item, res.faq), { sources: [res.item], item: res.item, confidence: res.confidence, intent: 'item-faq' });
      }
      case 'item': {
        if (res.item.id !== state.itemId) state.situation = {};
        applyCues(turn, res.item);
        return answerItem(turn, res.item, aspect, res.confidence, 'item');
      }
      case 'clarify': {
        // the current item is among the choices and the question is a follow-up on it
        // or its words are the current item's own ("二手房过户…" then "登记费多少": 登记费 is in that guide)
        const ownWords = subject.split(' ').filter((w) => w.length >= 2);
        const mentionsCurrent = !!current && ownWords.length > 0 && ownWords.every((w) => sourceText(current).includes(w));
        // or nothing in it tells a family's members apart and the conversation is already about one of them
        const currentMember = !!current && !!res.family && current.family === res.family && res.choices.some((c) => c.id === current.id);
        if (current && currentMember) {
          // a question of its own about the member ("跟朋友合租能提吗") is its FAQ's before the aspect asked last time
          const own = !aspect && (await answeredBy(turn, current));
          return own || answerItem(turn, current, aspect ?? state.aspect, 0.7, 'follow-up');
        }
        // the one service it might be about is the one the conversation is about ("体检报告要吗" after 驾驶证换证)
        if (current && res.choices.length === 1 && res.choices[0]!.id === current.id) {
          const oneMaterial = asksAboutOneMaterial(message) && speaksOfMaterials(current, subject);
          return answerItem(turn, current, aspect ?? (oneMaterial ? 'materials' : state.aspect), 0.6, 'follow-up');
        }
        if (current && aspect && !res.family && (res.choices.some((c) => c.id === current.id) || mentionsCurrent)) {
          return answerItem(turn, current, aspect, 0.7, 'follow-up');
        }
        // a short follow-up only worded like some other services' names ("一次能取多少": 一次性补贴) is a question
        // about the service under discussion: its answer, or that its guide does not say
        if (current && shortFollowUp && !res.family && res.confidence < LOW_CONFIDENCE) return (await answeredBy(turn, current)) ?? notFound(turn, current);
        // services found by the rest of a question naming a thing none of them speaks of ("烟草专卖许可证": 许可证) are no choice
        if (res.offTopic) return notFound(turn);
        state.clarify = { choices: res.choices.map((c) => ({ itemId: c.id, label: itemTitle(c, lang) })), ...(aspect ? { aspect } : {}), question: message };
        const shared = await answerShared(turn, state.clarify, res.choices, res.confidence);
        if (shared) return shared;
        const familyName = res.family ? familyLabel(res.choices, lang) : undefined;
        return {
          status: 'clarify',
          answer: familyName ? t.text('clarify_family', { family: familyName })
            : res.choices.length === 1 ? t.text('clarify_one', { title: itemTitle(res.choices[0]!, lang) }) : t.text('clarify_items'),
          intent: res.family ? 'clarify-family' : 'clarify-items',
          confidence: res.confidence,
          options: res.choices.map((c) => ({ id: c.id, label: itemTitle(c, lang), value: itemTitle(c, lang) })),
          citations: res.choices.map((c) => itemCitation(c, lang)),
        };
      }
      case 'none': {
        if (current && aspect) return answerItem(turn, current, aspect, 0.6, 'follow-up');
        const own = current && (await answeredBy(turn, current));
        if (own) return own;
        // "办证要什么材料": an aspect without a service named; ask which service among the closest matches
        const near = [...new Set(res.hits.map((h) => h.itemId).filter((id): id is string => !!id))].slice(0, 4).map((id) => kb.itemsById.get(id)).filter((i): i is ServiceItem => !!i);
        if (aspect && near.length >= 2) {
          state.clarify = { choices: near.map((c) => ({ itemId: c.id, label: itemTitle(c, lang) })), aspect, question: message };
          return {
            status: 'clarify', answer: t.text('clarify_items'), intent: 'clarify-items', confidence: 0.3,
            options: near.map((c) => ({ id: c.id, label: itemTitle(c, lang), value: itemTitle(c, lang) })),
            citations: near.map((c) => itemCitation(c, lang)),
          };
        }
        // a follow-up's few words found nothing about the service under discussion: say so of it
        return notFound(turn, shortFollowUp ? current : undefined);
      }
    }
  }

  /** Nothing in the knowledge base answers the question (about `item`, when the conversation is about one): say so, and offer a person. */
  function notFound(turn: Turn, item?: ServiceItem): Draft {
    const { state, t, lang } = turn;
    const canHandoff = !!(deps.handoff && get(deps.handoff));
    const offer = canHandoff ? `\n\n${t.text('not_found_handoff_offer')}` : '';
    if (canHandoff) state.handoffOffered = 'not-found';
    const answer = item ? t.text('not_found_in_item', { title: itemTitle(item, lang) }) : t.text('not_found');
    return {
      status: 'answered', answer: answer + offer, intent: 'not-found', confidence: 0.1,
      suggestions: item ? suggestionsFor(turn, item, undefined) : t.list('default_suggestions'), ...(item ? { item } : {}),
    };
  }

  /**
   * The current service's answer to a question the search placed nowhere better: one of its FAQs or facts
   * ("每个月能提多少", "夫妻能一起提吗" after 租房提取); undefined when only its overview would answer.
   */
  async function answeredBy(turn: Turn, current: ServiceItem): Promise<Draft | undefined> {
    const { aspect } = turn.state;
    const draft = await answerItem(turn, current, undefined, 0.55, 'follow-up');
    if (draft.intent !== 'overview') return draft;
    turn.state.aspect = aspect; // nothing answered: the conversation's last aspect stays for its next follow-up
    return undefined;
  }

  /** Situation cues in the message ("代办", "租房") set the item's situational answers; true when one changed. */
  function applyCues(turn: Turn, item: ServiceItem): boolean {
    const { state, message } = turn;
    const guides = get(deps.guides);
    let changed = false;
    for (const q of item.questions) {
      let option: string | undefined;
      if (guides?.has(item.id)) {
        try {
          option = guides.interpretAnswer(item.id, q.id, message, turn.lang);
        } catch {
          option = undefined;
        }
      } else {
        const text = normalize(message);
        const found = q.options.filter((o) => [o.label, o.labelEn, ...o.hints].some((h) => h && text.includes(normalize(h))));
        option = found.length === 1 ? found[0]!.id : undefined;
      }
      if (option && state.situation[q.id] !== option) {
        state.situation[q.id] = option;
        changed = true;
      }
    }
    return changed;
  }

  async function answerItem(turn: Turn, item: ServiceItem, aspect: Aspect | undefined, confidence: number, intent: string): Promise<Draft> {
    const { state } = turn;
    state.itemId = item.id;
    state.aspect = aspect;
    const guides = get(deps.guides);
    if (aspect === 'materials' && guides?.has(item.id) && !asksAboutOneMaterial(turn.message)) {
      const evaluation = guides.evaluate(item.id, situationFor(item, state.situation), turn.lang);
      if (!evaluation.complete) return startGuide(turn, item);
    }
    const ctx = turn.ctx();
    const retriever = get(deps.retriever);
    // an FAQ leaving out a word of the question that another FAQ of the service asks of answers another question
    const asked = item.faqs.map((f) => `${f.q}\n${f.qEn ?? ''}`).join('\n').toLowerCase();
    const covers = (question: string, answer: string, items: readonly ServiceItem[]) => !uncoveredByFaq(retriever, turn.message, [question, answer], items)
      .some((w) => speaksOfWord(retriever, w, asked));
    const chosen = composeItemAnswer(ctx, item, turn.message, aspect, covers);
    return finishAnswer(turn, chosen.composed, { sources: chosen.sources, item, confidence, intent: chosen.intent, aspect });
  }

  async function finishAnswer(
    turn: Turn,
    composed: Composed,
    o: { sources: Array<Parameters<typeof sourceText>[0]>; item?: ServiceItem; confidence: number; intent: string; aspect?: Aspect },
  ): Promise<Draft> {
    const { t, lang } = turn;
    // the extractive answer is grounded by construction; the check guards template or field mistakes
    const grounded = checkFiguresIn(composed.answer, o.sources, [t.raw('source_line')]);
    let answer = composed.answer;
    let citations = composed.citations;
    let streamed = false;
    if (!grounded.ok) {
      answer = t.text('not_found');
      citations = [];
    } else if (deps.composer) {
      const request: ComposeRequest = {
        question: turn.message, lang, extractive: { answer, citations }, sources: o.sources,
        ...(o.aspect ? { aspect: o.aspect } : {}),
      };
      const result = await deps.composer.compose(request, turn.onDelta);
      answer = result.answer;
      citations = result.citations;
      streamed = result.streamed;
    }
    const suggestions = suggestionsFor(turn, o.item, o.aspect);
    const options: ReplyOption[] = [];
    if (o.item && o.aspect === 'materials' && get(deps.guides)?.has(o.item.id)) {
      options.push({ id: 'guide', label: t.text('guide_offer_option'), value: t.text('suggest.guide') });
    }
    return { status: 'answered', answer, citations, intent: o.intent, confidence: o.confidence, suggestions, ...(o.item ? { item: o.item } : {}), options, streamed };
  }

  function suggestionsFor(turn: Turn, item: ServiceItem | undefined, aspect: Aspect | undefined): string[] {
    const { t } = turn;
    if (!item) return t.list('default_suggestions');
    const order: Aspect[] = ['materials', 'timeLimit', 'where', 'fee', 'online', 'process', 'conditions'];
    const out = order.filter((a) => a !== aspect).slice(0, 3).map((a) => t.text(`suggest.${a}`));
    if (item.questions.some((q) => q.id === 'by-proxy') && !turn.state.situation['by-proxy']) out.push(t.text('suggest.proxy'));
    return out.slice(0, 4);
  }

  // --- situational checklists ---------------------------------------------------------------------

  function situationFor(item: ServiceItem, situation: Readonly<Record<string, string>>): Record<string, string> {
    const ids = new Set(item.questions.map((q) => q.id));
    return Object.fromEntries(Object.entries(situation).filter(([q, o]) => ids.has(q) && item.questions.find((x) => x.id === q)?.options.some((op) => op.id === o)));
  }

  async function startGuide(turn: Turn, item: ServiceItem): Promise<Draft> {
    const { state, t, lang } = turn;
    state.guide = { itemId: item.id, answers: situationFor(item, state.situation) };
    state.itemId = item.id;
    state.aspect = 'materials';
    const step = await guideStep(turn, item);
    return { ...step, answer: step.checklist?.complete ? step.answer : `${t.text('guide_start', { title: itemTitle(item, lang) })}\n\n${step.answer}`, intent: 'checklist-start' };
  }

  async function guideStep(turn: Turn, item: ServiceItem): Promise<Draft> {
    const { state, t, lang } = turn;
    const guides = get(deps.guides)!;
    const progress = state.guide!;
    const evaluation = guides.evaluate(item.id, progress.answers, lang);
    // keep only the answers that still matter, as the guide reports them
    progress.answers = Object.fromEntries(evaluation.answered.map((a) => [a.questionId, a.optionId]));
    state.situation = { ...state.situation, ...progress.answers };
    const cite = [itemCitation(item, lang)];
    if (!evaluation.complete && evaluation.next) {
      const q = evaluation.next;
      progress.questionId = q.id;
      return {
        status: 'checklist',
        answer: t.text('guide_question', { question: q.text.text, help: q.help ? `\n${q.help.text}` : '' }),
        intent: 'checklist-question',
        confidence: 0.9,
        options: q.options.map((o) => ({ id: o.id, label: o.label.text, value: o.label.text })),
        citations: cite,
        item,
        checklist: { itemId: item.id, answers: { ...progress.answers }, complete: false, question: { id: q.id, text: q.text.text } },
      };
    }
    state.guide = undefined;
    const checklist = evaluation.checklist;
    let shareUrl: string | undefined;
    if (deps.shareChecklist && guides.snapshot) shareUrl = await deps.shareChecklist(guides.snapshot(item.id, progress.answers, lang));
    const ctx = turn.ctx();
    const materials = checklist
      ? checklist.materials.map((m) => t.text('materials_line', {
        name: m.name.zh && lang === 'en' ? `${m.name.text} (${m.name.zh})` : m.name.text,
        form: m.formLabel,
        copies: lang === 'en' ? m.copiesLabel : m.copies,
        notes: '',
      }))
      : composeMaterials(ctx, item).answer.split('\n').slice(1);
    const lines = [t.text('guide_done_head', { title: itemTitle(item, lang) }), ...materials, '', t.text('guide_done_more')];
    if (shareUrl) lines.push(t.text('guide_share', { url: shareUrl }));
    return {
      status: 'checklist',
      answer: lines.join('\n'),
      intent: 'checklist-complete',
      confidence: 0.95,
      citations: cite,
      item,
      suggestions: suggestionsFor(turn, item, 'materials'),
      checklist: { itemId: item.id, answers: { ...progress.answers }, complete: true, ...(checklist ? { checklist } : {}), ...(shareUrl ? { shareUrl } : {}) },
    };
  }

  /** The next message while a checklist runs: an answer, leaving, or a new question (which leaves it). */
  async function continueGuide(turn: Turn, routed: RoutedIntent | undefined): Promise<Draft | undefined> {
    const { kb, state, message, t } = turn;
    const progress = state.guide!;
    const item = kb.itemsById.get(progress.itemId);
    const guides = get(deps.guides);
    if (!item || !guides?.has(item.id) || !progress.questionId) {
      state.guide = undefined;
      return undefined;
    }
    if (isLeaveGuide(message)) {
      state.guide = undefined;
      return { status: 'answered', answer: t.text('guide_left'), intent: 'checklist-left', confidence: 1, item, suggestions: suggestionsFor(turn, item, undefined) };
    }
    // "英文的呢" / "中文": the same question again, in the language asked for
    if (turn.switchTo) return guideStep(turn, item);
    if (isRestartGuide(message)) {
      progress.answers = {};
      return guideStep(turn, item);
    }
    const question = guides.evaluate(item.id, progress.answers, turn.lang).next;
    const optionId = question ? matchOption(question, message) ?? guides.interpretAnswer(item.id, question.id, message, turn.lang) : undefined;
    if (question && optionId) {
      progress.answers[question.id] = optionId;
      return guideStep(turn, item);
    }
    // something else: a routed intent or a new question leaves the checklist; a plain statement that is not one of
    // the options ("没有房子") is asked again rather than searched as a question of its own
    if ((routed && routed !== 'acknowledge') || detectAspect(message) || asksSomethingElse(kb, message)) {
      state.guide = undefined;
      return undefined;
    }
    return {
      status: 'checklist',
      answer: `${t.text('guide_unclear')}\n\n${t.text('guide_question', { question: question?.text.text ?? '', help: '' })}`,
      intent: 'checklist-unclear',
      confidence: 0.6,
      options: question?.options.map((o) => ({ id: o.id, label: o.label.text, value: o.label.text })) ?? [],
      item,
      checklist: { itemId: item.id, answers: { ...progress.answers }, complete: false, ...(question ? { question: { id: question.id, text: question.text.text } } : {}) },
    };
  }

  function matchOption(question: GuideQuestion, message: string): string | undefined {
    const text = normalize(message);
    const hit = question.options.find((o) => o.id === text || normalize(o.label.text) === text || (o.label.zh && normalize(o.label.zh) === text));
    return hit?.id;
  }

  // --- handoff ------------------------------------------------------------------------------------

  async function startHandoff(kb: KnowledgeBase, state: DialogueState, t: Templates, reason: string, confidence: number, message: string, previous?: Draft): Promise<Draft> {
    const lang = t.lang;
    state.guide = undefined;
    state.clarify = undefined;
    state.lowConfidence = 0;
    const item = state.itemId ? kb.itemsById.get(state.itemId) : undefined;
    const lead = reason === 'low-confidence' ? t.text('handoff_low_confidence') : '';
    const port = deps.handoff ? get(deps.handoff) : undefined;
    if (!port) {
      return { status: 'handoff', answer: lead + t.text('handoff_unavailable'), intent: `handoff:${reason}`, confidence, handoff: { state: 'unavailable' }, ...(item ? { item } : {}) };
    }
    const summary = [
      item ? `${item.title}` : '',
      state.aspect ? `(${state.aspect})` : '',
      `“${message.slice(0, 200)}”`,
      previous ? `→ ${previous.intent}` : '',
    ].filter(Boolean).join(' ');
    let info: HandoffInfo;
    try {
      info = await port.requestHandoff({
        sessionId: state.id, reason, lang, confidence, summary,
        ...(item ? { itemId: item.id } : {}),
        ...(Object.keys(state.situation).length ? { situation: { ...state.situation } } : {}),
      });
    } catch {
      info = { state: 'unavailable' };
    }
    if (info.state !== 'unavailable') state.handoffStarted = true;
    return { status: 'handoff', answer: lead + describeHandoff(t, info), intent: `handoff:${reason}`, confidence, handoff: info, ...(item ? { item } : {}) };
  }

  const prepare = async (kb: KnowledgeBase) => {
    nameIndex(kb);
    itemIndex(kb);
    const retriever = get(deps.retriever);
    await warmItemTerms(retriever, kb.items, () => get(deps.retriever));
    const current = () => get(deps.retriever) === retriever;
    await inBackground<object>([...kb.items, ...kb.faqs, ...kb.policies], learnFigures, current);
  };
  return { reply, sessions: deps.sessions, prepare };
}

/** How the citizen is told about the handoff: queue position and wait, the navigator, or after-hours messaging. */
export function describeHandoff(t: Templates, info: HandoffInfo): string {
  switch (info.state) {
    case 'queued':
    case 'offered':
      return info.position && info.waitMinutes
        ? t.text('handoff_queued', { position: info.position, min: info.waitMinutes.min, max: info.waitMinutes.max })
        : t.text('handoff_queued_nowait');
    case 'with-navigator':
      return t.text('handoff_with_navigator', { name: info.navigatorName ?? '' });
    case 'after-hours': {
      const opens = info.opensAt ? t.text('handoff_opens', { time: formatOpening(info.opensAt, t.lang) }) : '';
      const department = info.department
        ? t.text('handoff_department', { name: info.department.name, hotline: info.department.hotline ? t.text('handoff_hotline', { hotline: info.department.hotline }) : '' })
        : '';
      return t.text('handoff_after_hours', { opens, department });
    }
    case 'ticket':
      return t.text('handoff_ticket', { ref: info.ticketRef ?? '' });
    case 'unavailable':
      return t.text('handoff_unavailable');
  }
}

/** Building an Intl formatter costs ~100× formatting with it: one per language. */
const OPENING_FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }),
};

function formatOpening(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return OPENING_FORMATS[lang].format(d);
}

/**
 * What a family's members share, to name the family in the question: the longest part all their titles have
 * (北京市居住证首次申领 / 北京市居住证签注 → 北京市居住证); in English whole words, from the short English names first,
 * then the English titles. Undefined when they share nothing worth naming.
 */
function familyLabel(choices: readonly ServiceItem[], lang: Lang): string | undefined {
  if (lang !== 'en') return commonPart(choices.map((c) => c.title), Array.from, '', (p) => p.length >= 2);
  const words = (s: string) => s.split(/[\s,()]+/).filter(Boolean);
  const worthNaming = (p: string) => /[a-z]{4,}/i.test(p);
  // "Registration of a" (… a Limited Liability Company / … a Partnership) names the family as "Registration"
  const named = (part: string | undefined) => {
    const kept = part ? withoutEdgeFunctionWords(part.split(' ')).join(' ') : '';
    return worthNaming(kept) ? kept : undefined;
  };
  return named(commonPart(choices.map((c) => c.aliasesEn[0] ?? c.titleEn ?? c.title), words, ' ', worthNaming))
    ?? named(commonPart(choices.map((c) => c.titleEn ?? c.title), words, ' ', worthNaming));
}

const FUNCTION_WORD = /^(?:a|an|the|of|for|to|in|on|at|by|from|and|or|with|your|my)$/i;

/** The words without the articles, prepositions and conjunctions at either end. */
function withoutEdgeFunctionWords(words: string[]): string[] {
  let start = 0;
  let end = words.length;
  while (start < end && FUNCTION_WORD.test(words[start]!)) start++;
  while (end > start && FUNCTION_WORD.test(words[end - 1]!)) end--;
  return words.slice(start, end);
}

/** The longest run of units (characters, words) of the first text that every text contains, if `ok` takes it. */
function commonPart(texts: readonly string[], units: (s: string) => string[], joiner: string, ok: (part: string) => boolean): string | undefined {
  const first = units(texts[0] ?? '');
  const all = texts.map((t) => `${joiner}${units(t).join(joiner).toLowerCase()}${joiner}`);
  let best = '';
  for (let i = 0; i < first.length; i++) {
    for (let j = first.length; j > i; j--) {
      const part = first.slice(i, j).join(joiner);
      if (part.length <= best.length) break;
      if (all.every((t) => t.includes(`${joiner}${part.toLowerCase()}${joiner}`))) {
        best = part;
        break;
      }
    }
  }
  return best && ok(best) ? best : undefined;
}

function personalRecordDepartment(kb: KnowledgeBase, topic: ReturnType<typeof personalRecordTopic>, itemId: string | undefined) {
  const theme = topic === 'housing-fund' ? 'housing-fund' : topic === 'social-insurance' ? 'pension-insurance' : itemId ? kb.itemsById.get(itemId)?.theme : undefined;
  return theme ? kb.departments.find((d) => d.themes.includes(theme)) : undefined;
}

/** Splits an answer into streaming pieces at line ends and sentence ends. */
export function chunksOf(text: string): string[] {
  return text.match(/[^\n。！？!?]*[\n。！？!?]+|[^\n。！？!?]+$/g) ?? (text ? [text] : []);
}

export { ASPECTS };
