/**
 * Conversations over the sample knowledge base, through /api/chat of the real service (hybrid retriever, guides,
 * SQLite): replies that were once wrong, each kept here with what it must be now. The sample KB is edited over
 * time; a case that fails after an edit says which reply moved.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.ts';
import { startTestService, type TestService } from './__fixtures__/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(path.join(PROJECT_ROOT, 'knowledge-base'));
}, 120_000);
afterAll(async () => service?.close());
const chat = (message: string, sessionId?: string) => service.chat(message, sessionId);
/** Answered by no service's guide: a clarification, or the honest reply that no guide has it. */
const noGuideAnswers = (r: { status: string; intent?: string }) => r.status === 'clarify' || (r.status === 'answered' && r.intent === 'not-found');

describe('sample knowledge base: replies that were once wrong', () => {
  it('asks which ID card service an appointment question means, the temporary card among them, in English as in Chinese', async () => {
    for (const message of ['How do I book an appointment for an ID card?', '身份证怎么预约']) {
      const r = await chat(message);
      expect(r.status, message).toBe('clarify');
      expect(r.options?.map((o) => o.id), message).toEqual(expect.arrayContaining(['idcard-first', 'idcard-renewal']));
    }
    // the temporary card, asked for, is answered as itself
    expect(await chat('I need a temporary ID card to catch a flight')).toMatchObject({ status: 'answered', item: { id: 'idcard-temporary' } });
  });

  it('gives a fee\'s name and the rule it is charged under in English, with the rule\'s Chinese title beside', async () => {
    const r = await chat('How much does it cost to renew a passport?');
    expect(r).toMatchObject({ status: 'answered', intent: 'aspect:fee', item: { id: 'passport-renewal' } });
    expect(r.answer).toContain('- Passport fee: 120 yuan per booklet (basis: NDRC and Ministry of Finance fee standard for exit-entry documents (国家发展改革委、财政部出入境证件收费标准))');
  });

  it('reads a change of address as the service, not as asking where: 公司地址变更 is the company address change', async () => {
    for (const message of ['公司地址变更怎么办', 'change of address for my company']) {
      expect(await chat(message), message).toMatchObject({ status: 'answered', item: { id: 'company-change-address' } });
    }
  });

  it('reads cancelling a company as closing it, and asks which closure, in English as in Chinese', async () => {
    for (const message of ['How do I cancel my company?', '公司注销怎么办']) {
      const r = await chat(message);
      expect(r.status, message).toBe('clarify');
      expect(r.options?.map((o) => o.id), message).toEqual(expect.arrayContaining(['company-deregistration-general', 'company-deregistration-simple']));
    }
  });

  it('tells replacing a marriage certificate from getting married, in English as in Chinese', async () => {
    for (const message of ['Where do I get my marriage certificate replaced?', 'Where can I replace my marriage certificate?', '结婚证丢了去哪补办']) {
      expect(await chat(message), message).toMatchObject({ status: 'answered', intent: 'aspect:where', item: { id: 'marriage-certificate-replace' } });
    }
    expect(await chat('How do I get a marriage certificate?')).toMatchObject({ status: 'answered', item: { id: 'marriage-registration' } });
  });

  it('says a free service is free once, and reads "pay rent" as part of its name, not a fee question', async () => {
    const en = await chat('How much does it cost to withdraw the housing provident fund for rent?');
    expect(en).toMatchObject({ status: 'answered', intent: 'aspect:fee', item: { id: 'hf-withdraw-rent' } });
    expect(en.answer.match(/free of charge/gi)).toHaveLength(1);
    const zh = await chat('应届毕业生落户收费吗');
    expect(zh).toMatchObject({ status: 'answered', intent: 'aspect:fee' });
    expect(zh.answer.match(/不收费|不收取费用/g)).toHaveLength(1);
    const online = await chat('Can I withdraw my housing provident fund to pay rent online?');
    expect(online).toMatchObject({ status: 'answered', intent: 'aspect:online', item: { id: 'hf-withdraw-rent' } });
  });

  it('tells an English speaker where to go in English, with the Chinese name and address beside for the signs', async () => {
    const r = await chat('Where do I apply for a Beijing residence permit for the first time?');
    expect(r).toMatchObject({ status: 'answered', lang: 'en', intent: 'aspect:where', item: { id: 'residence-permit-first' } });
    expect(r.answer).toContain('**Household registration counter of the police station where you live (居住地派出所户籍窗口)**');
    expect(r.answer).toContain('opening hours: Mon–Fri 9:00–12:00 and 13:30–17:00 (closed on public holidays)');
    expect(r.answer).not.toMatch(/周一至周五|微信公众号/);
  });

  it('answers where to vaccinate a child, not what to do when the vaccination booklet is lost', async () => {
    const r = await chat('孩子打疫苗在哪');
    expect(r).toMatchObject({ status: 'answered', intent: 'aspect:where', item: { id: 'hc-vaccination-certificate' } });
  });

  it('asks which kind of joining family a move of hukou to Beijing is, instead of assuming a child', async () => {
    const r = await chat('我想把户口迁到北京');
    expect(r.status).toBe('clarify');
    expect(r.options?.map((o) => o.id).sort()).toEqual(['hukou-child-join', 'hukou-parent-join', 'hukou-spouse-join']);
  });

  it('answers a yes/no about one material of the service under discussion with its materials', async () => {
    const first = await chat('驾驶证到期了怎么换');
    const r = await chat('体检报告要吗', first.sessionId);
    expect(r).toMatchObject({ status: 'answered', intent: 'aspect:materials', item: { id: 'driving-licence-renewal' } });
    expect(r.answer).toContain('身体条件证明');
  });

  it('answers a question worded like another service\'s name with the FAQ it asks, not with that service', async () => {
    // "外地的驾照能在北京换吗" reads much like the alias 外地人在北京换身份证, which it does not write
    for (const sessionId of [undefined, (await chat('驾驶证到期换证')).sessionId]) {
      const r = await chat('外地的驾照能在北京换吗', sessionId);
      expect(r, String(sessionId)).toMatchObject({ status: 'answered', intent: 'item-faq', item: { id: 'driving-licence-renewal' } });
      expect(r.answer).toContain('全国通办');
    }
  });

  it('does not answer "外地人在北京…" questions with the ID-card service that is only worded like them', async () => {
    // its alias 外地人在北京换身份证 shares the words every non-local's question has; buying a car or a flat it never speaks of
    for (const [q, other] of [['外地人在北京买车能摇号吗', 'vehicle-new-registration'], ['外地人在北京能买房吗', 'hf-withdraw-purchase']] as const) {
      const r = await chat(q);
      expect(r.status, q).toBe('clarify');
      expect(r.options?.map((o) => o.id), q).toContain(other);
    }
    expect(await chat('外地人在北京补身份证')).toMatchObject({ status: 'answered', item: { id: 'idcard-nonlocal' } });
    // nor does it take the question from the service whose name is written in it
    const r = await chat('外地人在北京失业了能领失业金吗');
    expect(r).toMatchObject({ status: 'answered', item: { id: 'unemployment-benefit' } });
    expect(r.answer).toContain('非京籍');
  });

  it('reads "apply for a …" / "get a …" in English as 申请/办个 in Chinese: the first application', async () => {
    for (const [q, item] of [['How do I get a residence permit?', 'residence-permit-first'], ['I want to apply for a passport', 'passport-first'], ['apply for social security card', 'medical-card-apply'],
      // a new one after a loss is its replacement
      ['I lost my passport, how do I apply for a new one?', 'passport-lost'], ['I lost my ID card, how long does it take to get a new one?', 'idcard-lost']] as const) {
      expect(await chat(q), q).toMatchObject({ status: 'answered', lang: 'en', item: { id: item } });
    }
  });

  it('reads the action a question asks for: 申请/申领 closing it is getting one, and a service doing nothing of the kind does not answer it', async () => {
    for (const [q, item] of [['社保卡能网上申请吗', 'medical-card-apply'], ['居住证怎么申请', 'residence-permit-first'], ['社保卡在哪申请', 'medical-card-apply'],
      ['社保卡补办怎么申请', 'medical-card-replace'], ['居住证到期了怎么申请', 'residence-permit-endorsement']] as const) {
      expect(await chat(q), q).toMatchObject({ status: 'answered', item: { id: item } });
    }
    // a service only led to by the retriever, speaking nowhere of the renewal asked, answers another question
    const teacher = await chat('教师资格证到期怎么延续');
    expect(noGuideAnswers(teacher)).toBe(true);
    expect(teacher.item).toBeUndefined();
    // the action tells a family's members apart; it does not make a question about something else one of theirs
    const building = await chat('建筑工程施工许可证怎么申请');
    expect(noGuideAnswers(building)).toBe(true);
    expect(building.item).toBeUndefined();
  });

  it('reads "能报销多少钱" / "能提多少钱" as the amount paid out, not as the service\'s fee', async () => {
    const benefit = await chat('生孩子能报销多少钱');
    expect(benefit.answer).not.toMatch(/不收取费用|免费/);
    expect(benefit.intent).not.toMatch(/fee|shared-answer/);
    const withdraw = await chat('公积金一个月能提多少钱');
    expect(withdraw.status).toBe('clarify');
    expect(withdraw.options?.map((o) => o.id)).toEqual(expect.arrayContaining(['hf-withdraw-rent', 'hf-withdraw-purchase']));
    expect(withdraw.options?.every((o) => o.id.startsWith('hf-withdraw-'))).toBe(true);
    // 公积金…怎么取 asks to withdraw too: the services offered are the withdrawals, not loans or certificates
    const spouse = await chat('我老公去世了，他的公积金怎么取');
    expect(spouse.status).toBe('clarify');
    expect(spouse.options?.length).toBeGreaterThan(1);
    expect(spouse.options?.every((o) => o.id.startsWith('hf-withdraw-'))).toBe(true);
    // the fee of the service is still the fee
    expect(await chat('办护照多少钱')).toMatchObject({ status: 'answered', item: { id: 'passport-first' } });
  });

  it('offers the pending choices again when a reply to them only leads to a guess among loosely related services', async () => {
    const first = await chat('结婚登记要什么材料');
    expect(first.options?.map((o) => o.id).sort()).toEqual(['marriage-foreign', 'marriage-registration']);
    const r = await chat('我是北京户口，对方是外地的', first.sessionId);
    expect(r).toMatchObject({ status: 'clarify', intent: 'clarify-repeat' });
    expect(r.options?.map((o) => o.id).sort()).toEqual(['marriage-foreign', 'marriage-registration']);
    expect((await chat('内地居民结婚登记', first.sessionId)).citations.map((c) => c.id)).toEqual(['marriage-registration']);
  });

  it('does not answer a question about a thing no guide speaks of with a service matched by the rest of it', async () => {
    // 护士 is in no document: 医师执业注册 matches only 执业证书 and 注册
    const nurse = await chat('护士执业证书怎么注册');
    expect(nurse).toMatchObject({ status: 'answered', intent: 'not-found', citations: [] });
    // 律师 is in a document, but not in the 出生证丢了 FAQ that matched 丢了怎么补办
    const lawyer = await chat('律师证丢了怎么补办');
    expect(lawyer.citations.map((c) => c.id)).not.toContain('faq-birth-03');
    expect(noGuideAnswers(lawyer)).toBe(true);
    // an unknown noun further on is a detail of a question the guides do answer
    expect(await chat('我爸妈想把户口迁到北京投靠我 需要多大岁数')).toMatchObject({ status: 'answered', item: { id: 'hukou-parent-join' } });
  });

  it('says there is no guide, rather than offering unrelated services, when the services found speak of none of a thing the question names', async () => {
    // 酒店, 燃气: the services found by 许可证 or 过户 alone are about other things
    for (const q of ['开烟酒店要办烟草专卖许可证吗', '家里燃气要过户怎么弄']) {
      const r = await chat(q);
      expect(r, q).toMatchObject({ status: 'answered', intent: 'not-found', citations: [] });
      expect(r.options, q).toBeUndefined();
    }
    // a clarification among services that all speak of what is named stays one
    expect(await chat('生孩子住院没直接结算 手工报销要什么材料')).toMatchObject({ status: 'clarify' });
  });

  it('finds in English the services whose names were in Chinese only (hukou transfers, vehicles, marriage records…)', async () => {
    for (const [q, item] of [['Can I get my hukou moved to Beijing if I marry a Beijinger?', 'hukou-spouse-join'], ['How do I register a new car?', 'vehicle-new-registration'],
      ['I lost my driving licence', 'driving-licence-lost'], ['How do I get divorced?', 'divorce-registration']] as const) {
      const r = await chat(q);
      expect(r, q).toMatchObject({ status: 'answered', lang: 'en', item: { id: item } });
      expect(r.citations[0]?.title, q).toMatch(/^[A-Z]/);
    }
    // and the most asked of them explain themselves in English
    expect((await chat('Can I get my hukou moved to Beijing if I marry a Beijinger?')).answer).toContain('married for 10 years');
  });

  it('reads an American spelling as the British one the guides write: "license" is no name of the renewal alone', async () => {
    const r = await chat('How do I apply for a driving license?');
    expect(r).toMatchObject({ status: 'clarify', lang: 'en' });
    expect(r.options?.map((o) => o.id)).toEqual(expect.arrayContaining(['driving-licence-lost', 'driving-licence-renewal']));
    expect(await chat('I lost my driving license')).toMatchObject({ status: 'answered', item: { id: 'driving-licence-lost' } });
  });

  it('reads 报公伤 as reporting a work injury', async () => {
    expect(await chat('单位不给报公伤怎么办')).toMatchObject({ status: 'answered', item: { id: 'injury-recognition' } });
  });

  it('answers a question that only names a service with its overview, not with a linked FAQ about something narrower', async () => {
    expect(await chat('个体户怎么注销')).toMatchObject({ status: 'answered', intent: 'overview', item: { id: 'self-employed-deregistration' } });
    // "怎么领" asks how to get it: its steps
    expect(await chat('发票怎么领')).toMatchObject({ status: 'answered', intent: 'aspect:process', item: { id: 'tax-digital-invoice-quota' } });
  });

  it('answers follow-ups about the service under discussion from its FAQs, not the aspect asked before nor nothing', async () => {
    const first = await chat('公积金租房提取多久到账');
    expect(first.item?.id).toBe('hf-withdraw-rent');
    const monthly = await chat('每个月能提多少', first.sessionId);
    expect(monthly).toMatchObject({ status: 'answered', intent: 'item-faq', item: { id: 'hf-withdraw-rent' } });
    expect(monthly.answer).toContain('2000元');
    const shared = await chat('跟朋友合租能提吗', first.sessionId);
    expect(shared).toMatchObject({ status: 'answered', intent: 'item-faq', item: { id: 'hf-withdraw-rent' } });
    expect(shared.answer).toContain('合租');
  });

  it('keeps a follow-up that names no service on the service under discussion, not on another one\'s FAQ', async () => {
    const first = await chat('护照怎么换发');
    const r = await chat('能寄到家吗', first.sessionId);
    expect(r).toMatchObject({ status: 'answered', intent: 'not-found', item: { id: 'passport-renewal' } });
    expect(r.answer).toContain('普通护照换发');
    expect(r.citations.map((c) => c.id)).not.toContain('idcard-first');
    // named, the other service's FAQ answers
    expect((await chat('身份证做好了能寄到家吗', first.sessionId)).intent).toBe('item-faq');
  });

  it('does not say "no appointment needed" and then list where to book one', async () => {
    const r = await chat('怎么预约办身份证');
    expect(r).toMatchObject({ status: 'answered', intent: 'aspect:appointment' });
    expect(r.answer).toMatch(/不强制预约，可以直接前往。预约渠道：/);
  });

  it('does not answer a transfer out of Beijing with the service for transferring in', async () => {
    const r = await chat('公积金账户怎么转到外地');
    expect(r.item?.id).not.toBe('hf-transfer');
    expect(r.citations.map((c) => c.id)).not.toContain('hf-transfer');
    expect((await chat('外地公积金怎么转到北京')).item?.id).toBe('hf-transfer');
  });

  it('reads a service named after costs as that service (生育医疗费用报销), not as a fee question', async () => {
    const r = await chat('生育医疗费用报销需要什么材料');
    expect(r.status).toBe('checklist');
    expect(r.item?.id).toBe('maternity-medical-reimbursement');
  });

  it('follows the retriever to the one service related to a question that names none, instead of offering unrelated ones', async () => {
    const r = await chat('医院的号一般提前几天放出来');
    expect(r.status).toBe('answered');
    expect(r.citations.map((c) => c.id)).toContain('hc-appointment');
    expect(r.answer).toContain('提前7天');
  });

  it('does not answer a question about buying a home with the ID-card service because both say 外地户口 and 北京', async () => {
    const r = await chat('我是外地户口能在北京买房吗');
    expect(noGuideAnswers(r)).toBe(true);
    expect(r.citations.map((c) => c.id)).not.toContain('faq-id-card-03');
    expect(r.item?.id).toBeUndefined();
  });

  it('answers a lost business licence with the FAQ on replacing it, not by asking which company to set up', async () => {
    const r = await chat('营业执照丢了咋整');
    expect(r).toMatchObject({ status: 'answered', intent: 'faq' });
    expect(r.citations.map((c) => c.id)).toContain('faq-self-employed-04');
    expect(r.answer).toContain('申请补领');
    // an FAQ about something else done besides (注销) is not that answer
    expect((await chat('执照丢了还能注销吗')).citations.map((c) => c.id)).toContain('self-employed-deregistration');
  });

  it('reads 居住证到期 as the residence permit\'s own keyword, not the work permit\'s 到期 (工作居住证 is another card)', async () => {
    const r = await chat('居住证到期了没续签会怎么样');
    expect(r.status).toBe('answered');
    expect(r.citations.map((c) => c.id)).toContain('faq-residence-permit-02');
    expect(r.citations.map((c) => c.id).filter((id) => id.startsWith('talent-'))).toEqual([]);
    expect(r.answer).toContain('逾期未签注');
  });

  it('reads paying social insurance oneself as joining it as an individual, not as the fee of another service', async () => {
    const r = await chat('Can I pay social insurance myself?');
    expect(r).toMatchObject({ status: 'answered', item: { id: 'pension-flexible-registration' } });
    expect(r.intent).not.toBe('aspect:fee');
  });

  it('takes a reply to "which one?" that says what is to be done as that choice, and one naming something else as a new question', async () => {
    const first = await chat('居住证怎么办');
    expect(first.status).toBe('clarify');
    expect(await chat('第一次办', first.sessionId)).toMatchObject({ status: 'answered', item: { id: 'residence-permit-first' } });
    const again = await chat('居住证怎么办');
    expect(await chat('第一次办要多久', again.sessionId)).toMatchObject({ status: 'answered', intent: 'aspect:timeLimit', item: { id: 'residence-permit-first' } });
    const lost = await chat('居住证怎么办');
    expect(await chat('丢了', lost.sessionId)).toMatchObject({ status: 'answered', item: { id: 'residence-permit-reissue' } });
    const other = await chat('居住证怎么办');
    expect(await chat('护照丢了怎么办', other.sessionId)).toMatchObject({ status: 'answered', item: { id: 'passport-lost' } });
    // the passports' guides list the ID card as a material, but 身份证 names the ID card services
    const passports = await chat('护照怎么办');
    expect(await chat('身份证丢了', passports.sessionId)).toMatchObject({ status: 'answered', item: { id: 'idcard-lost' } });
  });

  it('keeps the choices on offer when a reply only states the citizen\'s situation, and takes the one a later reply tells apart', async () => {
    const first = await chat('结婚登记要带什么');
    expect(first.status).toBe('clarify');
    // 外地户口 is worded like the ID-card service for non-locals, which is no answer to "which marriage registration?"
    const aside = await chat('我是外地户口', first.sessionId);
    expect(aside).toMatchObject({ status: 'clarify', intent: 'clarify-repeat' });
    expect(aside.options?.map((o) => o.id).sort()).toEqual(['marriage-foreign', 'marriage-registration']);
    const told = await chat('对方是外国人', first.sessionId);
    expect(told.item?.id).toBe('marriage-foreign');
    expect(told.status).not.toBe('handoff');
  });

  it('follows up a general FAQ by the service it lists that the next words name, and stays on that service after', async () => {
    const faq = await chat('公积金能取出来吗');
    expect(faq).toMatchObject({ status: 'answered', intent: 'faq' });
    expect(await chat('租房', faq.sessionId)).toMatchObject({ status: 'answered', item: { id: 'hf-withdraw-rent' } });
    // 一次 is worded like 一次性创业补贴, but the question is about the rent withdrawal (能取 ~ 能提)
    const amount = await chat('一次能取多少', faq.sessionId);
    expect(amount).toMatchObject({ status: 'answered', item: { id: 'hf-withdraw-rent' } });
    expect(amount.answer).toContain('每人每月可提取2000元');
    // a new topic after the FAQ is a new question
    const other = await chat('公积金能取出来吗');
    expect(await chat('结婚证怎么办', other.sessionId)).toMatchObject({ status: 'answered', item: { id: 'marriage-registration' } });
  });

  it('turns to the member of the family a follow-up names by what it does, with the aspect asked last, and keeps the hours of its office on it', async () => {
    const first = await chat('居住证首次申领');
    expect(await chat('要多久', first.sessionId)).toMatchObject({ item: { id: 'residence-permit-first' }, intent: 'aspect:timeLimit' });
    expect(await chat('补领呢', first.sessionId)).toMatchObject({ status: 'answered', item: { id: 'residence-permit-reissue' }, intent: 'aspect:timeLimit' });
    const passport = await chat('我想办护照');
    expect(await chat('换发', passport.sessionId)).toMatchObject({ status: 'answered', item: { id: 'passport-renewal' } });
    const hours = await chat('周末上班吗', passport.sessionId);
    expect(hours).toMatchObject({ status: 'answered', item: { id: 'passport-renewal' }, intent: 'aspect:where' });
    expect(hours.answer).toContain('周一至周六');
    // the service's own word is a question about it, not a turn to the mate whose name has it (不服鉴定结论)
    // in English a couple of words is as short: "What about renewal?" after "How long does it take?"
    const english = await chat('How do I get a passport?');
    expect(await chat('How long does it take?', english.sessionId)).toMatchObject({ item: { id: 'passport-first' }, intent: 'aspect:timeLimit' });
    expect(await chat('What about renewal?', english.sessionId)).toMatchObject({ item: { id: 'passport-renewal' }, intent: 'aspect:timeLimit' });
    // a bare "丢了怎么办" names nothing, but tells the family apart: the reissue, not the first certificate's process
    const birth = await chat('我想给孩子办出生证明');
    expect(await chat('丢了怎么办', birth.sessionId)).toMatchObject({ item: { id: 'birth-certificate-reissue' }, intent: 'aspect:process' });
    // a lone character (换 of 去哪换) is no reason to leave the ID-card renewal for the non-local one
    const renewal = await chat('身份证过期了换一个多少钱');
    expect(await chat('去哪换', renewal.sessionId)).toMatchObject({ item: { id: 'idcard-renewal' }, intent: 'aspect:where' });
    const assessment = await chat('劳动能力鉴定要自己掏钱吗');
    expect(await chat('多久出结论', assessment.sessionId)).toMatchObject({ item: { id: 'injury-capacity-assessment' } });
  });

  it('answers whether one may go alone with what the guide says of who must be there', async () => {
    const divorce = await chat('我要离婚');
    const r = await chat('可以一个人去吗', divorce.sessionId);
    expect(r).toMatchObject({ status: 'answered', intent: 'fact:proxy', item: { id: 'divorce-registration' } });
    expect(r.answer).toContain('双方共同亲自到婚姻登记机关申请');
  });

  it('answers whether someone else may apply with what the guide says of it, then the materials', async () => {
    for (const [first, ask] of [['身份证丢了', '可以找人代办吗'], ['I lost my ID card', 'can someone else do it for me']] as const) {
      const start = await chat(first);
      const r = await chat(ask, start.sessionId);
      expect(r, ask).toMatchObject({ status: 'answered', intent: 'fact:proxy', item: { id: 'idcard-lost' } });
      expect(r.answer, ask).toMatch(/须本人到场采集人像和指纹|Apply in person for photo and fingerprints/);
      expect(r.answer, ask).toMatch(/居民户口簿|household register/i);
    }
  });

  it('answers a question naming another family during a checklist about that family, not with the checklist\'s service', async () => {
    const start = await chat('公司变更法人要什么材料');
    expect(start).toMatchObject({ status: 'checklist', item: { id: 'company-change-legal-rep' } });
    const other = await chat('居住证要多久', start.sessionId);
    expect(other).toMatchObject({ status: 'clarify', intent: 'clarify-family' });
    expect(other.options?.map((o) => o.id)).toContain('residence-permit-first');
  });

  it('takes a statement of the situation as the checklist\'s answer for the service under discussion, in English too', async () => {
    const zh = await chat('涉外结婚登记');
    const hk = await chat('对方是香港人', zh.sessionId);
    expect(hk).toMatchObject({ item: { id: 'marriage-foreign' }, intent: 'aspect:materials' });
    const en = await chat("I'm a foreigner and want to get married in Beijing");
    expect(en.item?.id).toBe('marriage-foreign');
    const fiancee = await chat('my fiancee is from Hong Kong', en.sessionId);
    expect(fiancee).toMatchObject({ item: { id: 'marriage-foreign' }, intent: 'aspect:materials' });
    expect(fiancee.answer).toMatch(/^For \*\*.+\*\*, in your situation \(“A Hong Kong or Macao resident”\), you need:/);
    expect(hk.answer).toMatch(/^按您的情形（“香港或澳门居民”），办理\*\*.+\*\*需要准备以下材料：/);
  });

  it('offers no service that is only worded like the question when the search ranks it far below the one it puts first', async () => {
    // 小学入学's alias 入学信息采集 is as alike to the question as the veterans' service's names are
    const r = await chat('退伍好多年了还要做信息采集吗');
    expect(r.options?.map((o) => o.id)).toEqual(['veterans-info-collection']);
  });

  it('keeps a short follow-up on the service under discussion when only another service\'s FAQ has its words', async () => {
    const disability = await chat('残疾证');
    await chat('第一次办', disability.sessionId);
    const r = await chat('需要体检吗', disability.sessionId);
    expect(r.item?.id).toBe('disability-certificate-first');
    expect(r.citations.map((c) => c.id)).not.toContain('faq-vehicles-01');
    // the service whose FAQ it is still answers it
    const licence = await chat('驾照到期了');
    expect((await chat('要体检吗', licence.sessionId)).citations.map((c) => c.id)).toContain('faq-vehicles-01');
  });

  it('offers every family a question fits alike, naming none of them', async () => {
    const withdraw = await chat('公积金怎么提取');
    expect(withdraw).toMatchObject({ status: 'clarify', intent: 'clarify-items' });
    expect(withdraw.options?.map((o) => o.id)).toEqual(expect.arrayContaining(['hf-withdraw-resign', 'hf-withdraw-retire', 'hf-withdraw-rent', 'hf-withdraw-purchase', 'hf-withdraw-repay']));
    expect(await chat('租房', withdraw.sessionId)).toMatchObject({ status: 'answered', item: { id: 'hf-withdraw-rent' } });
  });

  it('reads a reply that is no choice together with the question that needed the choice', async () => {
    // 我是外地户口 alone finds the ID card for non-locals; with 残疾证 it is that certificate's FAQ for non-locals
    const disability = await chat('残疾证');
    const nonlocal = await chat('我是外地户口', disability.sessionId);
    expect(nonlocal).toMatchObject({ status: 'answered', item: { id: 'disability-certificate-first' } });
    expect(nonlocal.answer).toContain('外地户口在北京能办残疾证吗');
  });

  it('answers the aspect asked rather than an FAQ worded nearly alike about another one', async () => {
    // "生育津贴怎么算" is the FAQ; "怎么领" asks the process
    expect(await chat('生育津贴怎么领')).toMatchObject({ status: 'answered', intent: 'aspect:process', item: { id: 'maternity-allowance' } });
    expect(await chat('生育津贴怎么算')).toMatchObject({ status: 'answered', intent: 'faq' });
    // "个体户年报是什么时候" is no answer to what to bring
    const materials = await chat('个体户年报要什么材料');
    expect(materials.item?.id).toBe('self-employed-annual-report');
    expect(materials.intent).not.toBe('item-faq');
  });

  it('answers a figure asked after the steps with the guide\'s own words, not the steps again', async () => {
    const pension = await chat('我要退休了');
    expect(await chat('养老金怎么领', pension.sessionId)).toMatchObject({ intent: 'aspect:process' });
    const amount = await chat('能领多少', pension.sessionId);
    expect(amount).toMatchObject({ status: 'answered', item: { id: 'pension-retirement' } });
    expect(amount.intent).not.toBe('aspect:process');
  });
});
