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

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;
  readonly errors: FieldError[];
  constructor(detail: string, errors: FieldError[] = []) {
    super(detail);
    this.errors = errors;
  }
}

export class ValidationError extends DomainError {
  readonly status: number;
  readonly code = 'validation';
  readonly title = 'The request is not valid';
  constructor(detail: string, errors: FieldError[] = [], status: 400 | 422 = 422) {
    super(detail, errors);
    this.status = status;
  }
}

export class BadRequestError extends DomainError {
  readonly status = 400;
  readonly code = 'bad-request';
  readonly title = 'Malformed request';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly code = 'unauthorized';
  readonly title = 'Authentication required';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Not allowed';
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not-found';
  readonly title = 'Not found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload-too-large';
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly code = 'unsupported-media-type';
  readonly title = 'Unsupported media type';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly code = 'too-many-requests';
  readonly title = 'Too many requests';
}

export class UnavailableError extends DomainError {
  readonly status = 503;
  readonly code = 'unavailable';
  readonly title = 'Service unavailable';
}

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

const STATUS_TITLES: Record<number, [string, string]> = {
  400: ['bad-request', 'Malformed request'],
  401: ['unauthorized', 'Authentication required'],
  403: ['forbidden', 'Not allowed'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['validation', 'The request is not valid'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal', 'Internal error'],
  503: ['unavailable', 'Service unavailable'],
};

/** Builds a problem document for a status, with an optional detail and field errors. */
export function problemFor(status: number, detail: string, instance?: string, errors?: FieldError[]): Problem {
  const [code, title] = STATUS_TITLES[status] ?? ['error', 'Error'];
  const problem: Problem = { type: `${PROBLEM_TYPE_BASE}${code}`, title, status, detail };
  if (instance !== undefined) problem.instance = instance;
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}

/** True when the error means the database could not be reached (→ 503, not 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  return (
    name === 'MongoServerSelectionError' ||
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoTopologyClosedError' ||
    name === 'MongoPoolClearedError' ||
    name === 'MongooseServerSelectionError' ||
    /buffering timed out|connection .* closed|ECONNREFUSED|Client must be connected|ECONNRESET/i.test(error.message)
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
