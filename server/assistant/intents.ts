/**
 * Routing before retrieval: messages that must never get a knowledge-base answer (emergencies, unsafe requests),
 * or that need a fixed reply (greetings, thanks, out of scope), or a person (complaints, personal records).
 * Rules are ordered: the first match wins, so safety comes first.
 */
import { normalize } from './language.ts';

export type RoutedIntent =
  | 'emergency'
  | 'self-harm'
  | 'unsafe'
  | 'complaint'
  | 'personal-record'
  | 'service-hours'
  | 'human-request'
  | 'greeting'
  | 'thanks'
  | 'goodbye'
  | 'acknowledge'
  | 'about'
  | 'out-of-scope';

interface Rule {
  intent: RoutedIntent;
  pattern: RegExp;
  /** Only when the whole message is this (greetings and thanks carry no question). */
  whole?: boolean;
}

const RULES: Rule[] = [
  { intent: 'self-harm', pattern: /(想自杀|要自杀|不想活|想死|轻生|结束自己的生命|割腕|跳楼)|(suicid|kill myself|end my life|want to die)/ },
  {
    intent: 'emergency',
    pattern:
      /(着火|失火|起火|火灾|救命|晕倒|昏迷|心脏病发|出车祸|发生车祸|车祸了|被抢|抢劫|有人打人|持刀|煤气泄漏|燃气泄漏|溺水|被绑架|有人受伤|流了很多血|急救|被骗|诈骗|怎么报警|报警电话)|(\bfire\b|emergency|heart attack|robbery|being attacked|ambulance|bleeding|gas leak|drowning)/,
  },
  {
    intent: 'unsafe',
    pattern:
      /(伪造|(?<![请休放度寒暑年婚产病事丧探])假证|办假|做假|造假|弄个假|(?<![请休放度寒暑年婚产病事丧探])假的?[^，。,.?？!！\s]{0,4}?(证明|合同|材料|公章|印章|发票|结婚证|离婚证|户口本|身份证|证件|证书|学历|文凭|房产证|营业执照|流水|病历)|虚开发票|逃税|偷税|漏税|避税.{0,4}(不被|不让)|骗保|骗取|套取|套现公积金|冒名|顶替|行贿|送礼.{0,6}(快|插队)|代考)|(forge|forging|forged|fake (document|certificate|id|contract|invoice|stamp)|evade tax|evading tax|tax evasion|bribe)/,
  },
  {
    intent: 'complaint',
    pattern: /(投诉|举报|态度(太)?(差|恶劣|不好)|不作为|乱收费|吃拿卡要|刁难|推诿|差评)|(complain|complaint|report (a|an|the)? ?(official|officer|corruption|misconduct))/,
  },
  {
    intent: 'personal-record',
    pattern:
      /(查(一下|询|查)?我的|我的.{0,8}(余额|账户|明细|缴费记录|缴存记录|积分|进度|审批结果|办到哪)|我.{0,4}(余额|办到哪一步|审核通过了吗|批下来了吗)|我.{0,8}(缴了多少|交了多少|交了几|缴了几))|(my (balance|account|application status|records?|contribution history)|check my)/,
  },
  {
    // when Daoban and its navigators can be reached, asked before asking for a person ("人工客服几点上班")
    intent: 'service-hours',
    pattern:
      /((你们|人工|客服|导办员|人工导办|工作人员)[^，。?？!！]{0,4}(几点|什么时候|啥时候|哪天|周末|周六|周日|节假日|晚上)(也|还)?(上班|下班|有人|在线|开门|下线|开始|结束|能找到)|(人工|客服|导办员|人工导办)的?(服务|工作|上班|在线)时间|(晚上|夜里|半夜|周末|节假日|休息日)(有|还有)(人工|客服|人)(吗|嘛|没有)?)|((what are|what're) your (opening |working |office |service )?hours|when (are|is) (you|the (staff|agents?|navigators?|humans?|people)) (open|available|online|working)|when can i (talk|speak|chat) (to|with) (a |an )?(person|human|agent|someone|navigator))/,
  },
  {
    intent: 'human-request',
    pattern: /(转人工|人工服务|人工客服|找人工|真人|接人工|人工导办|导办员|要人工|^人工$|找客服|转客服)|((talk|speak|chat|connect me) (to|with) (a |an )?(human|person|agent|someone|real person|navigator|operator)|human agent|real person|\bhuman\b|\boperator\b)/,
  },
  { intent: 'greeting', pattern: /^(你好|您好|哈喽|嗨|在吗|在不在|早上好|上午好|下午好|晚上好|hi|hello|hey|good (morning|afternoon|evening))[!！。.,，~～?？\s呀啊]*$/, whole: true },
  { intent: 'thanks', pattern: /^(好的)?[,，]?(谢谢|多谢|感谢|谢啦|非常感谢|thanks|thank you|thx)(你|您)?(了|啦)?[!！。.,，~～\s]*$/, whole: true },
  { intent: 'goodbye', pattern: /^(再见|拜拜|bye|goodbye|没有了|没事了)[!！。.,，~～\s]*$/, whole: true },
  // "好的", "知道了", "算了": the citizen takes note or lets it go; nothing to search for
  {
    intent: 'acknowledge',
    pattern: /^(好的?|好吧|好滴|行|行吧|可以|嗯+|哦+|噢+|喔+|ok|okay|知道了|明白了?|了解了?|收到|懂了|清楚了|算了|算了吧|不用了|不需要了|不要了|没问题|alright|all right|fine|got it|i see|understood|never ?mind|no problem)[!！。.,，~～\s呀啊哈]*$/,
    whole: true,
  },
  { intent: 'about', pattern: /^(你是谁|你能做什么|你可以做什么|你会什么|你是机器人吗|who are you|what can you do|are you a (bot|robot))[?？!！。.\s]*$/, whole: true },
  {
    intent: 'out-of-scope',
    pattern:
      /(天气|气温|下雨|股票|炒股|股价|基金推荐|买什么股|彩票|讲个笑话|说个笑话|笑话|星座|算命|运势|菜谱|怎么做菜|电影推荐|比分|写首诗|写诗)|(weather|stock|share price|lottery|joke|horoscope|recipe|movie|football score|write a poem)/,
  },
];

export function routeIntent(message: string): RoutedIntent | undefined {
  const text = normalize(message);
  for (const rule of RULES) {
    if (rule.pattern.test(text)) return rule.intent;
  }
  return undefined;
}

/** What a personal-record question is about, for the reply ("公积金余额"). */
export function personalRecordTopic(message: string): 'housing-fund' | 'social-insurance' | 'progress' | 'other' {
  const t = normalize(message);
  if (/公积金|housing fund|provident/.test(t)) return 'housing-fund';
  if (/社保|医保|养老|social insurance|pension|medical insurance/.test(t)) return 'social-insurance';
  if (/进度|办到哪|审批|审核|status|progress/.test(t)) return 'progress';
  return 'other';
}

/** Leaving a running checklist: "不用了", "算了", "退出". */
export function isLeaveGuide(message: string): boolean {
  const text = normalize(message);
  return /^(不用了|算了|退出|取消|不要了|停止|结束|quit|exit|cancel|stop|never ?mind|forget it)[!！。.,，~～\s]*$/.test(text)
    // "算了不办了", "先不办了", "I don't need it anymore"
    || /^(算了|不用了|不要了)?[，,\s]*(我)?(先|暂时|还是)?(不办了|不弄了|不做了|不需要了|不用办了)[!！。.,，~～\s]*$/.test(text)
    || /^(i )?(don't|do not) need (it|this|that)( any ?more)?[!.\s]*$/.test(text);
}

/** Starting a checklist over: "重新开始", "start over". */
export function isRestartGuide(message: string): boolean {
  return /^(重新开始|重新来|重来|从头开始|从头来|重新填|restart|start over|start again)[!！。.,，~～\s]*$/.test(normalize(message));
}

/** Asking for a checklist: "生成清单", "make my checklist". */
export function isGuideRequest(message: string): boolean {
  return /(生成.{0,4}清单|材料清单|我的清单|帮我(整理|列)|checklist)/.test(normalize(message));
}

/** Switching language: "英文的呢", "in English", "说中文". */
export function languageSwitch(message: string): 'zh' | 'en' | undefined {
  const t = normalize(message);
  if (/^(那)?(用)?(英文|英语)(的|版|版本)?(呢|吧|回答|说)?[?？。.!！\s]*$|^(in )?english( please)?[?.!\s]*$/.test(t)) return 'en';
  if (/^(那)?(用)?(中文|汉语)(的|版)?(呢|吧|回答|说)?[?？。.!！\s]*$|^(in )?chinese( please)?[?.!\s]*$/.test(t)) return 'zh';
  return undefined;
}

/** Yes / no to an offer ("需要转人工吗?"). */
export function yesNo(message: string): 'yes' | 'no' | undefined {
  const t = normalize(message);
  if (/^(好|好的|可以|行|需要|要|是|是的|嗯|ok|okay|yes|yeah|sure|please)[!！。.,，~～\s吧啊]*$/.test(t)) return 'yes';
  if (/^(不|不用|不需要|不要|no|nope|no thanks)[!！。.,，~～\s了吧啊]*$/.test(t)) return 'no';
  return undefined;
}
