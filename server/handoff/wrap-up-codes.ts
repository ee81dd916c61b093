import type { WrapUpCode } from './types.ts';

/** Wrap-up codes a navigator picks when closing a conversation (reported per code in statistics). */
export const WRAP_UP_CODES: readonly WrapUpCode[] = [
  { code: 'answered', label: '已解答', labelEn: 'Answered' },
  { code: 'guided-online', label: '已引导线上办理', labelEn: 'Guided to apply online' },
  { code: 'referred-department', label: '已转介相关部门', labelEn: 'Referred to a department' },
  { code: 'appointment', label: '已协助预约', labelEn: 'Helped book an appointment' },
  { code: 'complaint-recorded', label: '已登记投诉建议', labelEn: 'Complaint or suggestion recorded' },
  { code: 'follow-up', label: '需后续跟进', labelEn: 'Needs follow-up' },
  { code: 'citizen-left', label: '市民已离开', labelEn: 'Citizen left' },
  { code: 'out-of-scope', label: '不属于政务服务范围', labelEn: 'Out of scope' },
];

export const WRAP_UP_CODE_IDS = WRAP_UP_CODES.map((c) => c.code);
