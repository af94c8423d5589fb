/**
 * Domain errors and their single mapping to RFC 9457 problem details.
 * Services throw these; the HTTP layer maps them once (src/http/problem.ts). Anything else is an
 * internal error whose details are logged, never sent to the client.
 */

export interface FieldError {
  /** JSON pointer (RFC 6901) into the request, e.g. "/body/lines/3/code" or "/query/limit". */
  pointer: string;
  detail: string;
}

interface ProblemText {
  code: string;
  title: string;
}

/**
 * The one table of problem kinds: each status's code (the last segment of the problem `type`)
 * and title. The domain errors below and `problemFor` both read it.
 */
const PROBLEM_KINDS = {
  400: { code: 'bad-request', title: 'Malformed request' },
  401: { code: 'unauthorized', title: 'Authentication required' },
  403: { code: 'forbidden', title: 'Not allowed' },
  404: { code: 'not-found', title: 'Not found' },
  405: { code: 'method-not-allowed', title: 'Method not allowed' },
  406: { code: 'not-acceptable', title: 'Not acceptable' },
  409: { code: 'conflict', title: 'Conflict' },
  413: { code: 'payload-too-large', title: 'Payload too large' },
  415: { code: 'unsupported-media-type', title: 'Unsupported media type' },
  422: { code: 'validation', title: 'The request is not valid' },
  429: { code: 'too-many-requests', title: 'Too many requests' },
  500: { code: 'internal', title: 'Internal error' },
  503: { code: 'unavailable', title: 'Service unavailable' },
} as const satisfies Record<number, ProblemText>;

type ProblemKind = keyof typeof PROBLEM_KINDS;

const UNKNOWN_TEXT = { code: 'error', title: 'Error' } as const;

function textOf(status: number): ProblemText {
  const byStatus: Partial<Record<number, ProblemText>> = PROBLEM_KINDS;
  return byStatus[status] ?? UNKNOWN_TEXT;
}

export abstract class DomainError extends Error {
  readonly errors: FieldError[];
  readonly status: number;
  readonly code: string;
  readonly title: string;
  /**
   * `kind` picks the code and title from PROBLEM_KINDS; `status` defaults to it and differs only
   * when one kind is answered with another status (a validation error sent as 400).
   */
  protected constructor(kind: ProblemKind, detail: string, errors: FieldError[] = [], status: number = kind) {
    super(detail);
    this.errors = errors;
    this.status = status;
    this.code = PROBLEM_KINDS[kind].code;
    this.title = PROBLEM_KINDS[kind].title;
  }
}

export class ValidationError extends DomainError {
  constructor(detail: string, errors: FieldError[] = [], status: 400 | 422 = 422) {
    super(422, detail, errors, status);
  }
}

/** The base class of the errors that are answered with their kind's own status. */
function errorOfKind(kind: ProblemKind) {
  return class extends DomainError {
    constructor(detail: string, errors: FieldError[] = []) {
      super(kind, detail, errors);
    }
  };
}

export class BadRequestError extends errorOfKind(400) {}
export class UnauthorizedError extends errorOfKind(401) {}
export class ForbiddenError extends errorOfKind(403) {}
export class NotFoundError extends errorOfKind(404) {}
export class ConflictError extends errorOfKind(409) {}
export class PayloadTooLargeError extends errorOfKind(413) {}
export class UnsupportedMediaTypeError extends errorOfKind(415) {}
export class TooManyRequestsError extends errorOfKind(429) {}
export class UnavailableError extends errorOfKind(503) {}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://rutas-de-la-salud.example/problems/';

/** Builds a problem document for a status, with an optional detail and field errors. */
export function problemFor(status: number, detail: string, instance?: string, errors?: FieldError[]): Problem {
  const { code, title } = textOf(status);
  const problem: Problem = { type: `${PROBLEM_TYPE_BASE}${code}`, title, status, detail };
  if (instance !== undefined) problem.instance = instance;
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}

const NETWORK_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']);

/**
 * True when the error means the database could not be reached (→ 503, not 500). Besides the
 * driver's network errors this covers a raw socket error the driver lets through when the server
 * goes away mid-write (EPIPE "socket has been ended by the other party"), and errors whose cause
 * is one of these (bulk writes).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  const code = (error as { code?: unknown }).code;
  return (
    name === 'MongoServerSelectionError' ||
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoTopologyClosedError' ||
    name === 'MongoPoolClearedError' ||
    name === 'MongooseServerSelectionError' ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    /buffering timed out|connection .* closed|ECONNREFUSED|Client must be connected|ECONNRESET|socket has been ended/i.test(error.message) ||
    (depth < 3 && error.cause !== undefined && isDatabaseUnavailable(error.cause, depth + 1))
  );
}

/** Maps any thrown value to a problem. Unknown errors become a generic 500 (details are logged). */
export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof DomainError) {
    const problem = problemFor(error.status, error.message, instance, error.errors);
    problem.type = `${PROBLEM_TYPE_BASE}${error.code}`;
    problem.title = error.title;
    return problem;
  }
  if (isDatabaseUnavailable(error)) {
    return problemFor(503, 'The database is not reachable right now; retry later.', instance);
  }
  return problemFor(500, 'An unexpected error occurred. It has been logged.', instance);
}
