/** Which aspect of a service item a question asks about. */
import { normalize } from './language.ts';

export const ASPECTS = [
  'materials', 'conditions', 'process', 'timeLimit', 'fee', 'where', 'online', 'appointment', 'legalBasis', 'contact',
] as const;
export type Aspect = (typeof ASPECTS)[number];

/**
 * Ordered: the first aspect whose pattern matches wins ("网上预约" is an appointment question before an online one).
 * 费用 followed by 报销, 结算... names a service about costs (生育医疗费用报销), not a question about fees; nor
 * is 多少钱 after 报销, 领, 提... ("能报销多少钱", "能提多少钱": the amount paid out, not the service's fee), nor
 * "pay rent" / "pay off" (what the service pays for: 提取公积金付房租, 提前还贷). Likewise 地址 / "address" in a change of
 * address (地址变更, 改地址, "change of address") names the service, not a question about where to go.
 */
const PATTERNS: Array<[Aspect, RegExp]> = [
  ['fee', /(费用(?!报销|结算|减免|补贴|补助|待遇|核销|明细|清单)|收费|(?<!报销|领|补|提|取|赔|发|退|返|拿)多少钱|要钱|花钱|掏钱|出钱|自费|自己付|免费|工本费|手续费|登记费|交钱|交费|缴费标准|收不收费|贵不贵|收钱|费(是)?多少|交多少钱|收多少)|(\bfees?\b|\bcost|how much(?! (?:can|will|could|do|would) (?:i|we) (?:get|receive|claim|withdraw|take out|be reimbursed|be paid))|\bcharge|free of charge|\bfree\b|\bpay\b(?!(?: for)? (?:(?:my|the|our|your|a) )?(?:rent|social insurance|(?:medical |pension |unemployment )?insurance|pensions?|contributions?|premiums?|(?:housing )?(?:provident )?fund|taxe?s?)\b| off\b| back\b| into\b))/],
  ['timeLimit', /(多久|多长时间|几天|时限|多少天|几个工作日|多少个工作日|什么时候能(拿|领|办好|下来)|时间多长|办结|多快|要多长(时间)?|(当天|当场|马上|立刻)(就)?(能|可以)?(拿|领|取|办好|办完|出)(到)?(证|结果)?|(能|可以)(当天|当场)(拿|领|取|办)(到)?(证|结果)?|立等可取)|(how long|how many days|time limit|processing time|how soon|when will i (get|receive))/],
  // asked outright, materials win over the place or channel the sentence also names ("地址要改 要带什么", "网上卖 要什么材料")
  ['materials', /(要带什么|带什么|带啥|带哪些|准备什么|准备啥|准备哪些|准备些什么|要啥材料|要啥(?![条资手])|需要啥(?![条资手])|什么材料|哪些材料|啥材料|(要|带|准备)(什么|啥)东西|提交什么|交什么材料)|(what (documents|papers|materials)|what do i (need to )?bring)/],
  ['appointment', /(预约|挂号|取号)|(appointment|\bbook\b|booking)/],
  ['online', /(网上|线上|网办|京通|手机上|在线|小程序)|(online|internet|on my phone|\bapp\b)/],
  ['where', /(在哪|哪里办|哪儿办|地点|(?<!改|换|变更|更改|修改|迁移)地址(?!变更|变动|更改|修改|迁移)|去哪|哪个窗口|哪个派出所|哪个部门|到哪|办公时间|几点上班|上班时间|几点(?:开门|下班|关门)|营业时间|开放时间|(?:周末|周六|周日|星期[六日天]|节假日)(?:也|还)?(?:上班|办公|开门|开放|办理|能办|可以办))|(\bwhere\b|(?<!\b(?:change|changing|update|updating|new)\b(?:\s+(?:of|my|the|our|a|its|company|business|registered|home|residential))*\s+)address(?!\s+(?:change|update)|\s+has\s+changed)|\boffice\b|location|opening hours)/],
  ['contact', /(电话|咨询电话|联系方式|热线|怎么联系)|(phone|contact|hotline|telephone)/],
  ['legalBasis', /(依据|法规|政策依据|哪个文件|什么规定|条例)|(legal basis|\blaw\b|regulation)/],
  ['conditions', /(条件|资格|能不能办|能办吗|可以办吗|能申请吗|可以申请吗|谁可以|符合什么|有什么要求|门槛)|(eligib|condition|qualif|who can)/],
  ['materials', /(材料|带什么|带哪些|准备什么|准备哪些|需要什么|要什么东西|要什么|提交什么|要带|需要带|证件|资料)|(document|paperwork|what do i need|what(?:'s| is| are) needed|\bbring\b|materials|papers)/],
  ['process', /(流程|步骤|怎么办|如何办|怎么申请|如何申请|(?:怎么|如何|咋)(?:申领|领取|领(?!导))|怎么弄|办理程序|怎么操作|程序)|(process|steps|procedure|how (do|can|to) (i )?(apply|get|do)|how (do|can|should|would|could) (i|we)\b)/],
];

/** The same patterns, global, for removing every occurrence (compiled once: subjectOf runs for every name compared). */
const ASPECT_WORDS = PATTERNS.map(([, pattern]) => new RegExp(pattern.source, 'g'));

export function detectAspect(message: string): Aspect | undefined {
  const text = normalize(message);
  for (const [aspect, pattern] of PATTERNS) if (pattern.test(text)) return aspect;
  return undefined;
}

/**
 * The message minus aspect words and fillers: what is left names the service ("居住证要什么材料" → "居住证").
 * Empty when the message is only a follow-up ("那要多久?").
 */
export function subjectOf(message: string): string {
  let text = normalize(message);
  for (const pattern of ASPECT_WORDS) text = text.replace(pattern, ' ');
  return text
    .replace(/(不|没|没有)\s*[?？!！。.]*\s*$/, ' ')
    .replace(/(请问|你好|您好|我想|我要|想要|想问|问一下|一下|那么|那|呢|吗|啊|呀|吧|的|了|还|要|需要|办理|办|去|可以|能|怎么|如何|什么|哪些|哪里|多少|是|么|我|他|她|给|帮)/g, ' ')
    .replace(/\b(please|the|a|an|i|my|do|does|is|are|to|for|of|can|what|how|need|get|apply|and|in|it|that|this|there|me|you|with|then|about|take|takes|will|would|could|should)\b/g, ' ')
    .replace(/[?？!！。.,，、~～:：;；"'“”‘’()（）\s]+/g, ' ')
    .trim();
}
