import type { ErrorRequestHandler, Request, Response } from 'express';
import { BadRequestError, PayloadTooLargeError, problemFor, toProblem, UnsupportedMediaTypeError, type FieldError, type Problem } from '../errors.ts';
import type { Logger } from '../logging.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

export function sendStatusProblem(req: Request, res: Response, status: number, detail: string, errors?: FieldError[]): void {
  sendProblem(res, problemFor(status, detail, req.originalUrl, errors));
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** Translates errors raised by Express' body parsers into domain errors. */
function fromBodyParser(error: BodyParserError): Error {
  switch (error.type) {
    case 'entity.parse.failed':
      return new BadRequestError('The body is not valid JSON.', [{ pointer: '/body', detail: 'malformed JSON' }]);
    case 'entity.too.large':
      return new PayloadTooLargeError('The body is larger than the allowed limit.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('Unsupported body encoding or charset.');
    case 'request.aborted':
      return new BadRequestError('The request was aborted by the client.');
    default:
      return error;
  }
}

/** The single error handler: domain errors → their status; anything else → logged 500/503. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const mapped = error instanceof Error ? fromBodyParser(error) : error;
    const problem = toProblem(mapped, req.originalUrl);
    if (problem.status >= 500) {
      (req.log ?? logger).error({ err: error }, 'request failed');
    }
    sendProblem(res, problem);
  };
}
