/**
 * Handoff to human navigators: the conversation service (ChatPipeline + HandoffPort), navigator accounts,
 * routing by skill, working hours, tickets. Realtime delivery lives in server/realtime, HTTP in server/http/routes.
 */
export { HandoffService, PRIORITY_BY_REASON, type HandoffEventMap, type HandoffServiceOptions } from './service.ts';
export { ANYONE, type Audience } from './events.ts';
export { NavigatorAccounts, DEFAULT_CAPACITY, DEFAULT_SESSION_TTL_MS, type NewNavigator } from './accounts.ts';
export { ManualClock, systemClock, type Clock, type TimerHandle } from './clock.ts';
export { DEFAULT_CALENDAR, openingAt, type Opening } from './calendar.ts';
export { GENERAL_SKILL, departmentForItem, knownSkills, prepareRouting, recommendDepartment, skillForItem } from './routing.ts';
export { estimateWait } from './wait-estimate.ts';
export { WRAP_UP_CODES } from './wrap-up-codes.ts';
export { ConversationMonitor, isMonitored, type MonitorSource } from './conversation-monitor.ts';
export { BOT_STATES, NAVIGATOR_STATES, QUEUE_STATES, canTransition } from './state-machine.ts';
export type * from './types.ts';
export { createKbSuggest } from './assist.ts';
