/**
 * Every error the service reports, in one catalogue: a stable code, an HTTP status and a message.
 * Add new errors here, never inline. Messages name the offending field where there is one.
 */
export interface ErrorSpec {
  readonly code: string;
  readonly status: number;
  /** Message template; `%s` placeholders are filled in order by `DaobanError.create`. */
  readonly message: string;
}

function spec(code: string, status: number, message: string): ErrorSpec {
  return { code, status, message };
}

export const Errors = {
  // Requests
  INVALID_BODY: spec('DB_INVALID_BODY', 400, 'Invalid request body: %s'),
  INVALID_JSON: spec('DB_INVALID_JSON', 400, 'Request body is not valid JSON'),
  INVALID_FIELD: spec('DB_INVALID_FIELD', 400, 'Invalid field "%s": %s'),
  MISSING_FIELD: spec('DB_MISSING_FIELD', 400, 'Missing required field "%s"'),
  UNKNOWN_SESSION: spec('DB_UNKNOWN_SESSION', 400, 'Unknown session "%s" (field "sessionId")'),
  NOT_FOUND: spec('DB_NOT_FOUND', 404, '%s not found'),
  UNAUTHORIZED: spec('DB_UNAUTHORIZED', 401, 'Authentication required'),
  FORBIDDEN: spec('DB_FORBIDDEN', 403, '%s'),
  ORIGIN_NOT_ALLOWED: spec('DB_ORIGIN_NOT_ALLOWED', 403, 'Origin "%s" is not an allowed portal origin'),
  RATE_LIMITED: spec('DB_RATE_LIMITED', 429, 'Too many requests, retry in %s'),
  // Knowledge base
  KB_INVALID: spec('DB_KB_INVALID', 422, 'The knowledge base has %s error(s); the previous version keeps serving'),
  // Pages
  CONSOLE_NOT_BUILT: spec('DB_CONSOLE_NOT_BUILT', 503, 'The navigator console is not built; run "npm run build:widget"'),
  WIDGET_NOT_BUILT: spec('DB_WIDGET_NOT_BUILT', 503, 'The widget is not built; run "npm run build:widget"'),
  // Guides
  UNKNOWN_ITEM: spec('DB_UNKNOWN_ITEM', 400, 'Unknown service item "%s" (field "%s")'),
  NO_GUIDE: spec('DB_NO_GUIDE', 400, 'Service item "%s" has no situational questions'),
  UNKNOWN_QUESTION: spec('DB_UNKNOWN_QUESTION', 400, 'Unknown question "%s" (field "answers"); allowed: %s'),
  UNKNOWN_OPTION: spec('DB_UNKNOWN_OPTION', 400, 'Unknown option "%s" for question "%s" (field "answers.%s"); allowed: %s'),
  // Handoff
  CONVERSATION_CLOSED: spec('DB_CONVERSATION_CLOSED', 409, 'Conversation "%s" is closed'),
  INVALID_TRANSITION: spec('DB_INVALID_TRANSITION', 409, 'Cannot %s a conversation that is %s'),
  ALREADY_CLAIMED: spec('DB_ALREADY_CLAIMED', 409, 'Conversation "%s" was already taken by another navigator'),
  INVALID_CREDENTIALS: spec('DB_INVALID_CREDENTIALS', 401, 'Wrong username or password (fields "username", "password")'),
  SESSION_EXPIRED: spec('DB_SESSION_EXPIRED', 401, 'The navigator session has expired; log in again'),
  CAPACITY_FULL: spec('DB_CAPACITY_FULL', 409, 'Navigator "%s" already holds %s conversation(s), the capacity'),
  NAVIGATOR_UNAVAILABLE: spec('DB_NAVIGATOR_UNAVAILABLE', 409, 'Navigator "%s" is not online and available (field "navigatorId")'),
  SKILL_MISMATCH: spec('DB_SKILL_MISMATCH', 403, 'Navigator "%s" does not have the skill "%s"'),
  NOT_OWNER: spec('DB_NOT_OWNER', 403, 'Conversation "%s" is not held by navigator "%s"'),
  ALREADY_RATED: spec('DB_ALREADY_RATED', 409, 'This service was already rated'),
  USERNAME_TAKEN: spec('DB_USERNAME_TAKEN', 409, 'Username "%s" is taken (field "username")'),
  TICKET_NOT_OPEN: spec('DB_TICKET_NOT_OPEN', 409, 'Ticket "%s" is %s'),
  // Upstream
  LLM_UNAVAILABLE: spec('DB_LLM_UNAVAILABLE', 502, 'The language model endpoint failed: %s'),
  INTERNAL: spec('DB_INTERNAL', 500, 'Internal error'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof Errors;

export class DaobanError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details?: unknown;

  constructor(spec: ErrorSpec, message: string, details?: unknown) {
    super(message);
    this.name = 'DaobanError';
    this.code = spec.code;
    this.statusCode = spec.status;
    this.details = details;
  }

  static create(name: ErrorName, ...args: Array<string | number>): DaobanError {
    const s = Errors[name];
    let i = 0;
    const message = s.message.replace(/%s/g, () => String(args[i++] ?? ''));
    return new DaobanError(s, message);
  }

  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export function isDaobanError(e: unknown): e is DaobanError {
  return e instanceof DaobanError;
}
