/** What the citizen reads when the conversation changes hands, in the conversation's language. */
import type { Lang } from '../storage/handoff-store.ts';

const minutes = (w: { min: number; max: number }, lang: Lang) =>
  lang === 'en' ? `about ${w.min}–${w.max} minutes` : `约 ${w.min}–${w.max} 分钟`;

/** When service resumes, in Beijing time (a formatter per language: building one costs ~100× using it). */
const OPENS_AT: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'long', hour: '2-digit', minute: '2-digit' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'long', hour: '2-digit', minute: '2-digit' }),
};

export const TEXTS = {
  queued(lang: Lang, position: number, wait?: { min: number; max: number }): string {
    if (lang === 'en') {
      return `You are number ${position} in the queue for a navigator${wait ? `; estimated wait ${minutes(wait, lang)}` : ''}. You can leave a message at any time instead.`;
    }
    return `正在为您转接人工导办员，您当前排在第 ${position} 位${wait ? `，预计等待${minutes(wait, lang)}` : ''}。等待期间您也可以随时选择留言。`;
  },
  noNavigatorOnline(lang: Lang): string {
    return lang === 'en'
      ? 'No navigator with the right expertise is online right now; you are in the queue, or you can leave a message.'
      : '目前暂无对应业务的导办员在线，您已进入排队；也可以选择留言，我们会尽快联系您。';
  },
  navigatorJoined(lang: Lang, name: string): string {
    return lang === 'en' ? `Navigator ${name} has joined and will help you now.` : `导办员${name}已接入，正在为您服务。`;
  },
  navigatorLeft(lang: Lang): string {
    return lang === 'en'
      ? 'Your navigator went offline. You are back at the front of the queue.'
      : '导办员暂时离线，已为您重新排队，您排在队首，请稍候。';
  },
  transferred(lang: Lang): string {
    return lang === 'en' ? 'You are being transferred to another navigator, please wait.' : '正在为您转接其他导办员，请稍候。';
  },
  returnedToBot(lang: Lang): string {
    return lang === 'en'
      ? 'The navigator has handed you back to the assistant. You can keep asking questions here.'
      : '人工服务已结束，已为您转回智能导办，您可以继续提问。';
  },
  chatEnded(lang: Lang): string {
    return lang === 'en'
      ? 'This chat with a navigator has ended. Please rate the service: good, average or bad.'
      : '本次人工服务已结束，请您对本次服务进行评价（好评、中评、差评）。';
  },
  afterHours(lang: Lang, opensAt: string | undefined, holiday?: string): string {
    const when = opensAt ? OPENS_AT[lang].format(new Date(opensAt)) : undefined;
    if (lang === 'en') {
      return `Navigators are not on duty now${holiday ? ` (${holiday})` : ''}${when ? `; they are back ${when} (Beijing time)` : ''}. Leave your contact and question and we will get back to you.`;
    }
    return `当前为非工作时间${holiday ? `（${holiday}）` : ''}，人工导办员暂不在线${when ? `，将于北京时间${when}恢复服务` : ''}。您可以留下联系方式和问题，我们会尽快回复您。`;
  },
  ticketCreated(lang: Lang, ref: string, department?: string): string {
    return lang === 'en'
      ? `Your message was recorded with reference ${ref}${department ? ` and passed to ${department}` : ''}. We will contact you.`
      : `您的留言已登记，编号 ${ref}${department ? `，将转由${department}处理` : ''}，工作人员会尽快联系您。`;
  },
  abandoned(lang: Lang): string {
    return lang === 'en' ? 'You left the queue. The assistant is here if you need it.' : '您已退出排队，如有需要可以继续向智能导办提问。';
  },
  withNavigator(lang: Lang, name?: string): string {
    return lang === 'en' ? `Your message was passed to navigator ${name ?? ''}.`.replace(' .', '.') : `您的消息已发送给导办员${name ?? ''}。`;
  },
};

export const REASON_LABELS: Record<string, string> = {
  'user-request': '市民要求转人工',
  'low-confidence': '智能导办把握不足',
  'personal-record': '涉及个人办件信息',
  complaint: '投诉建议',
  emergency: '紧急情况',
  'repeated-failure': '多次未解决',
  transfer: '导办员转接',
};
