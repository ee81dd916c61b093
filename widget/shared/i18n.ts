/**
 * The widget's and the console's message catalogue: one object per locale, with fallback to English, then
 * Chinese. zh and en are complete; the other locales carry what has been translated so far and fall back
 * per key. Arabic is written right to left (`dirOf`).
 *
 * Stable API (the console imports it): LOCALES, Locale, MessageKey, Messages, createI18n, dirOf, chatLangOf,
 * matchLocale, registerMessages.
 */

export const LOCALES = ['zh', 'en', 'fr', 'de', 'ru', 'ja', 'ko', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

const zh = {
  'widget.title': '导办小助手',
  'widget.subtitle': '北京市政务服务智能导办',
  'widget.launcher': '打开智能导办',
  'widget.close': '收起对话窗口',
  'widget.panel': '智能导办对话窗口',
  'widget.welcome': '您好！我是北京市政务服务智能导办，可以为您解答办事指南、所需材料、办理地点和时限等问题，也可以为您生成材料清单。请问您想办理什么事项？',
  'widget.examples': '试试问：',
  'input.placeholder': '请输入您的问题',
  'input.label': '输入您的问题',
  'input.send': '发送',
  'input.mic': '语音输入',
  'input.micStop': '停止语音输入',
  'input.micUnavailable': '当前浏览器不支持语音输入，请直接打字提问。',
  'input.micFailed': '语音识别没有成功，请重试或直接打字。',
  'input.listening': '正在聆听……',
  'log.label': '对话记录',
  'who.you': '我',
  'who.bot': '智能导办',
  'who.navigator': '导办员',
  'who.system': '系统消息',
  'status.typing': '正在输入……',
  'status.navigatorTyping': '导办员正在输入……',
  'status.connecting': '正在连接……',
  'status.reconnecting': '网络连接中断，正在重新连接……',
  'status.refused': '此网站未获准接入智能导办服务。',
  'status.failed': '暂时无法连接服务，请稍后再试。',
  'status.sending': '发送中',
  'status.sendFailed': '发送失败，点击重试',
  'answer.sources': '信息来源',
  'answer.updated': '更新于 {date}',
  'answer.suggestions': '您可能还想问',
  'answer.options': '请选择',
  'answer.helpful': '这个回答有帮助',
  'answer.notHelpful': '这个回答没有帮助',
  'answer.thanks': '感谢您的反馈！',
  'answer.speak': '朗读这条回答',
  'handoff.request': '转人工',
  'handoff.requestLong': '转人工服务',
  'handoff.queued': '正在为您转接人工导办员，您排在第 {position} 位，预计等待 {min}–{max} 分钟。',
  'handoff.queuedNoEstimate': '正在为您转接人工导办员，您排在第 {position} 位。目前暂无对应业务的导办员在线。',
  'handoff.leave': '改为留言',
  'handoff.cancel': '退出排队',
  'handoff.joined': '导办员{name}正在为您服务',
  'handoff.joinedAnon': '导办员已接入，正在为您服务',
  'handoff.returned': '已转回智能导办，您可以继续提问。',
  'handoff.afterHours': '当前为非工作时间，人工导办员暂不在线。请留下联系方式和问题，我们会尽快回复您。',
  'handoff.opensAt': '恢复服务时间：{time}',
  'handoff.ticket': '留言已提交，编号：{ref}',
  'handoff.ticketNote': '工作人员会尽快联系您，请记下编号以便查询。',
  'form.title': '留言',
  'form.name': '称呼（选填）',
  'form.phone': '手机号码',
  'form.email': '电子邮箱（选填）',
  'form.question': '您的问题',
  'form.contactRequired': '请填写手机号码或电子邮箱，方便我们联系您。',
  'form.submit': '提交留言',
  'form.cancel': '取消',
  'rating.title': '请您对本次人工服务进行评价',
  'rating.good': '好评',
  'rating.average': '中评',
  'rating.bad': '差评',
  'rating.comment': '意见建议（选填）',
  'rating.submit': '提交评价',
  'rating.thanks': '感谢您的评价！',
  'checklist.title': '材料清单',
  'checklist.materials': '需要准备的材料',
  'checklist.timeLimit': '办理时限',
  'checklist.fees': '收费标准',
  'checklist.where': '办理地点',
  'checklist.print': '打印清单',
  'checklist.share': '分享清单',
  'checklist.copied': '清单链接已复制',
  'checklist.open': '查看完整清单',
  'settings.language': '语言',
  'settings.elder': '长辈模式',
  'settings.elderOn': '关闭长辈模式',
  'settings.avatar': '数字人',
  'settings.avatarOn': '关闭数字人',
  'avatar.label': '数字人导办员',
  'avatar.subtitles': '字幕',
  'avatar.pause': '暂停',
  'avatar.resume': '继续',
  'avatar.stop': '停止',
  'avatar.replay': '重播',
  'avatar.noVoice': '本设备没有中文语音，数字人将以字幕播报。',
  'avatar.loading': '数字人加载中……',
  'avatar.failed': '数字人加载失败，已切换为文字模式。',
  'newMessages': '{count} 条新消息',
} as const;

export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;

const en: Messages = {
  'widget.title': 'Service Guide',
  'widget.subtitle': 'Beijing government services assistant',
  'widget.launcher': 'Open the service guide',
  'widget.close': 'Minimise the chat',
  'widget.panel': 'Service guide chat',
  'widget.welcome': 'Hello! I am the Beijing government services assistant. I can explain service guides, required documents, where to go and how long it takes, and make you a document checklist. What would you like to do?',
  'widget.examples': 'Try asking:',
  'input.placeholder': 'Type your question',
  'input.label': 'Your question',
  'input.send': 'Send',
  'input.mic': 'Voice input',
  'input.micStop': 'Stop voice input',
  'input.micUnavailable': 'Voice input is not available in this browser. Please type your question.',
  'input.micFailed': 'Speech was not recognised. Please try again or type.',
  'input.listening': 'Listening…',
  'log.label': 'Conversation',
  'who.you': 'You',
  'who.bot': 'Assistant',
  'who.navigator': 'Navigator',
  'who.system': 'Notice',
  'status.typing': 'Typing…',
  'status.navigatorTyping': 'The navigator is typing…',
  'status.connecting': 'Connecting…',
  'status.reconnecting': 'Connection lost, reconnecting…',
  'status.refused': 'This site is not allowed to use the service guide.',
  'status.failed': 'The service cannot be reached right now. Please try again later.',
  'status.sending': 'Sending',
  'status.sendFailed': 'Not sent, click to retry',
  'answer.sources': 'Sources',
  'answer.updated': 'updated {date}',
  'answer.suggestions': 'You might also ask',
  'answer.options': 'Please choose',
  'answer.helpful': 'This answer helped',
  'answer.notHelpful': 'This answer did not help',
  'answer.thanks': 'Thank you for your feedback!',
  'answer.speak': 'Read this answer aloud',
  'handoff.request': 'Talk to a person',
  'handoff.requestLong': 'Talk to a navigator',
  'handoff.queued': 'Connecting you to a navigator. You are number {position} in the queue; estimated wait {min}–{max} minutes.',
  'handoff.queuedNoEstimate': 'Connecting you to a navigator. You are number {position} in the queue. No navigator for this topic is online right now.',
  'handoff.leave': 'Leave a message instead',
  'handoff.cancel': 'Leave the queue',
  'handoff.joined': 'Navigator {name} is helping you',
  'handoff.joinedAnon': 'A navigator has joined and is helping you',
  'handoff.returned': 'You are back with the assistant. Ask anything.',
  'handoff.afterHours': 'Navigators are not on duty now. Leave your contact details and question and we will get back to you.',
  'handoff.opensAt': 'Back on duty: {time}',
  'handoff.ticket': 'Message received. Reference: {ref}',
  'handoff.ticketNote': 'We will contact you soon. Please keep the reference number.',
  'form.title': 'Leave a message',
  'form.name': 'Name (optional)',
  'form.phone': 'Mobile number',
  'form.email': 'Email (optional)',
  'form.question': 'Your question',
  'form.contactRequired': 'Please give a mobile number or an email address so we can reach you.',
  'form.submit': 'Send message',
  'form.cancel': 'Cancel',
  'rating.title': 'How was the service from our navigator?',
  'rating.good': 'Good',
  'rating.average': 'Average',
  'rating.bad': 'Bad',
  'rating.comment': 'Comments (optional)',
  'rating.submit': 'Submit rating',
  'rating.thanks': 'Thank you for rating!',
  'checklist.title': 'Document checklist',
  'checklist.materials': 'What to bring',
  'checklist.timeLimit': 'Processing time',
  'checklist.fees': 'Fees',
  'checklist.where': 'Where to go',
  'checklist.print': 'Print',
  'checklist.share': 'Share',
  'checklist.copied': 'Checklist link copied',
  'checklist.open': 'Open the full checklist',
  'settings.language': 'Language',
  'settings.elder': 'Large text mode',
  'settings.elderOn': 'Turn off large text mode',
  'settings.avatar': 'Digital human',
  'settings.avatarOn': 'Turn off the digital human',
  'avatar.label': 'Digital human navigator',
  'avatar.subtitles': 'Subtitles',
  'avatar.pause': 'Pause',
  'avatar.resume': 'Resume',
  'avatar.stop': 'Stop',
  'avatar.replay': 'Replay',
  'avatar.noVoice': 'No voice for this language on this device; the digital human speaks in subtitles.',
  'avatar.loading': 'Loading the digital human…',
  'avatar.failed': 'The digital human could not be loaded; text mode is on.',
  'newMessages': '{count} new messages',
};

/** Locales in progress: translated keys only; the rest falls back to English. */
const partial: Record<Exclude<Locale, 'zh' | 'en'>, Partial<Messages>> = {
  fr: { 'widget.title': 'Guide des services', 'input.placeholder': 'Posez votre question', 'input.send': 'Envoyer', 'handoff.request': 'Parler à un agent', 'settings.language': 'Langue' },
  de: { 'widget.title': 'Service-Lotse', 'input.placeholder': 'Ihre Frage', 'input.send': 'Senden', 'handoff.request': 'Mit einer Person sprechen', 'settings.language': 'Sprache' },
  ru: { 'widget.title': 'Помощник по услугам', 'input.placeholder': 'Введите вопрос', 'input.send': 'Отправить', 'handoff.request': 'Связаться с оператором', 'settings.language': 'Язык' },
  ja: { 'widget.title': '行政サービス案内', 'input.placeholder': 'ご質問を入力してください', 'input.send': '送信', 'handoff.request': '担当者と話す', 'settings.language': '言語' },
  ko: { 'widget.title': '민원 안내', 'input.placeholder': '질문을 입력하세요', 'input.send': '보내기', 'handoff.request': '상담원 연결', 'settings.language': '언어' },
  es: { 'widget.title': 'Guía de trámites', 'input.placeholder': 'Escriba su pregunta', 'input.send': 'Enviar', 'handoff.request': 'Hablar con una persona', 'settings.language': 'Idioma' },
  ar: { 'widget.title': 'دليل الخدمات', 'input.placeholder': 'اكتب سؤالك', 'input.send': 'إرسال', 'handoff.request': 'التحدث إلى موظف', 'settings.language': 'اللغة' },
};

/** Each locale's name in its own language, for the language picker. */
export const LOCALE_NAMES: Record<Locale, string> = {
  zh: '中文', en: 'English', fr: 'Français', de: 'Deutsch', ru: 'Русский', ja: '日本語', ko: '한국어', es: 'Español', ar: 'العربية',
};

const catalogues: Record<Locale, Partial<Messages>> = { zh, en, ...partial };

/** Adds or overrides messages of a locale (e.g. a portal's own wording, or the console's keys). */
export function registerMessages(locale: Locale, messages: Partial<Messages>): void {
  catalogues[locale] = { ...catalogues[locale], ...messages };
}

export function dirOf(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** The assistant answers in Chinese or English: Chinese for zh, English for every other locale. */
export function chatLangOf(locale: Locale): 'zh' | 'en' {
  return locale === 'zh' ? 'zh' : 'en';
}

/** "zh-CN" → zh, "en-GB" → en, "pt" → undefined. */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : undefined;
}

export interface I18n {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  /** The message, with {name} placeholders filled; falls back to English, then Chinese. */
  t(key: MessageKey, params?: Record<string, string | number>): string;
}

export function createI18n(locale: Locale): I18n {
  return {
    locale,
    dir: dirOf(locale),
    t(key, params) {
      const raw = catalogues[locale][key] ?? en[key] ?? zh[key];
      return params ? raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : raw;
    },
  };
}
