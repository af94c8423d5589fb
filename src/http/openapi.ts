import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseYaml } from 'yaml';
import { BadRequestError, problemFor, ValidationError, type FieldError } from '../errors.ts';
import type { Logger } from '../logging.ts';

/**
 * openapi.yaml is the source of truth: every request to a documented path is validated against
 * it before reaching a router, and responses are checked against it (strictly in tests).
 */

type Json = Record<string, unknown>;

interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}

interface CompiledOperation {
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  paramNames: string[];
  pathValidator?: ValidateFunction;
  queryValidator?: ValidateFunction;
  headerParams: ParameterSpec[];
  bodyRequired: boolean;
  bodyValidators: Map<string, ValidateFunction>;
  responseValidators: Map<string, Map<string, ValidateFunction>>;
}

export interface OpenApiMatch {
  operationId: string;
  template: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    openapi?: OpenApiMatch;
  }
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** The full request path without the query string, whatever router we are mounted in. */
export function requestPath(req: Request): string {
  return req.originalUrl.split('?')[0];
}

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix: string): FieldError[] {
  return (errors ?? []).slice(0, 50).map((error) => {
    let pointer = `${prefix}${error.instancePath}`;
    let detail = error.message ?? 'is not valid';
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      pointer = `${pointer}/${escapePointerSegment(missing)}`;
      detail = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      pointer = `${pointer}/${escapePointerSegment(extra)}`;
      detail = 'is not an allowed property';
    } else if (error.keyword === 'enum') {
      detail = `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
    }
    return { pointer, detail };
  });
}

export class OpenApiValidator {
  readonly document: Json;
  private readonly operations: CompiledOperation[] = [];
  private readonly ajv: Ajv2020;
  private readonly coercingAjv: Ajv2020;

  constructor(specPath: string) {
    this.document = parseYaml(readFileSync(specPath, 'utf8')) as Json;
    this.ajv = this.makeAjv(false);
    this.coercingAjv = this.makeAjv(true);
    this.compile();
  }

  private makeAjv(coerce: boolean): Ajv2020 {
    const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: coerce ? 'array' : false, useDefaults: coerce, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema(this.document, 'openapi.json');
    return ajv;
  }

  private ref(pointer: string): Json {
    return { $ref: `openapi.json#${pointer}` };
  }

  private resolveParameter(value: Json): ParameterSpec {
    const ref = value.$ref;
    if (typeof ref === 'string') {
      const parts = ref.replace(/^#\//, '').split('/');
      let node: unknown = this.document;
      for (const part of parts) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      return node as ParameterSpec;
    }
    return value as unknown as ParameterSpec;
  }

  private compile(): void {
    const paths = (this.document.paths ?? {}) as Record<string, Json>;
    for (const [template, pathItem] of Object.entries(paths)) {
      const paramNames: string[] = [];
      const regex = new RegExp(
        `^${template
          .split('/')
          .map((segment) => {
            const match = /^\{(.+)\}$/.exec(segment);
            if (match) {
              paramNames.push(match[1]);
              return '([^/]+)';
            }
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
          .join('/')}/?$`,
      );
      const shared = ((pathItem.parameters ?? []) as Json[]).map((p) => this.resolveParameter(p));
      for (const method of METHODS) {
        const operation = pathItem[method] as Json | undefined;
        if (!operation) continue;
        const pointerBase = `/paths/${escapePointerSegment(template)}/${method}`;
        const own = ((operation.parameters ?? []) as Json[]).map((p) => this.resolveParameter(p));
        const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
        const objectSchema = (location: string): Json | undefined => {
          const list = parameters.filter((p) => p.in === location);
          if (list.length === 0) return undefined;
          return {
            type: 'object',
            properties: Object.fromEntries(list.map((p) => [p.name, p.schema ?? {}])),
            required: list.filter((p) => p.required).map((p) => p.name),
          };
        };
        const pathSchema = objectSchema('path');
        const querySchema = objectSchema('query');
        const bodyValidators = new Map<string, ValidateFunction>();
        const requestBody = operation.requestBody as Json | undefined;
        for (const mediaType of Object.keys((requestBody?.content ?? {}))) {
          const media = (requestBody!.content as Record<string, Json>)[mediaType];
          if (media.schema && mediaType.includes('json')) {
            bodyValidators.set(
              mediaType,
              this.ajv.compile(this.ref(`${pointerBase}/requestBody/content/${escapePointerSegment(mediaType)}/schema`)),
            );
          }
        }
        const responseValidators = new Map<string, Map<string, ValidateFunction>>();
        for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
          const byType = new Map<string, ValidateFunction>();
          let responsePointer = `${pointerBase}/responses/${status}`;
          let resolved = response;
          if (typeof response.$ref === 'string') {
            responsePointer = response.$ref.replace(/^#/, '');
            const parts = responsePointer.replace(/^\//, '').split('/');
            let node: unknown = this.document;
            for (const part of parts) node = (node as Json)[part];
            resolved = node as Json;
          }
          for (const [mediaType, media] of Object.entries((resolved.content ?? {}) as Record<string, Json>)) {
            if (media.schema && mediaType.includes('json')) {
              byType.set(mediaType, this.ajv.compile(this.ref(`${responsePointer}/content/${escapePointerSegment(mediaType)}/schema`)));
            }
          }
          responseValidators.set(status, byType);
        }
        this.operations.push({
          method: method.toUpperCase(),
          template,
          operationId: typeof operation.operationId === "string" ? operation.operationId : `${method} ${template}`,
          regex,
          paramNames,
          pathValidator: pathSchema ? this.coercingAjv.compile(pathSchema) : undefined,
          queryValidator: querySchema ? this.coercingAjv.compile(querySchema) : undefined,
          headerParams: parameters.filter((p) => p.in === 'header'),
          bodyRequired: Boolean(requestBody?.required),
          bodyValidators,
          responseValidators,
        });
      }
    }
    // Literal segments must win over templated ones (/plans/{id} vs /plans/latest).
    this.operations.sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  /** Finds the documented operation for a method and path. */
  find(method: string, path: string): { operation?: CompiledOperation; params?: Record<string, string> } {
    const wanted = method === 'HEAD' ? 'GET' : method;
    for (const operation of this.operations) {
      const match = operation.regex.exec(path);
      if (!match) continue;
      if (operation.method !== wanted) continue;
      const params: Record<string, string> = {};
      operation.paramNames.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1]);
      });
      return { operation, params };
    }
    return {};
  }

  /** Methods documented for a path (HEAD implied by GET), empty when the path is not documented. */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>();
    for (const operation of this.operations) {
      if (operation.regex.test(path)) {
        methods.add(operation.method);
        if (operation.method === 'GET') methods.add('HEAD');
      }
    }
    return [...methods];
  }

  /**
   * Answers 405 with an Allow header when a documented path is called with an undocumented
   * method (TRACE, PUT on a read-only resource…), for every path of the spec.
   */
  methodGuard(): RequestHandler {
    return (req, res, next) => {
      if (req.method === 'OPTIONS') {
        next();
        return;
      }
      let allowed: string[];
      try {
        allowed = this.allowedMethods(requestPath(req));
      } catch {
        allowed = [];
      }
      if (allowed.length === 0 || allowed.includes(req.method)) {
        next();
        return;
      }
      res.setHeader('Allow', allowed.join(', '));
      res.status(405).type('application/problem+json').send(
        JSON.stringify(problemFor(405, `${req.method} is not allowed on ${requestPath(req)}; allowed: ${allowed.join(', ')}.`, req.originalUrl)),
      );
    };
  }

  /** Express middleware validating documented requests. Undocumented paths pass through. */
  requestValidator(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      let found: ReturnType<OpenApiValidator['find']>;
      try {
        found = this.find(req.method, requestPath(req));
      } catch {
        next(new BadRequestError('The path is not valid (bad percent-encoding).'));
        return;
      }
      // Undocumented paths pass through; documented paths with another method were already
      // answered 405 by methodGuard().
      if (!found.operation) {
        next();
        return;
      }
      const operation = found.operation;
      const errors: FieldError[] = [];
      if (operation.pathValidator) {
        const params = { ...found.params };
        if (!operation.pathValidator(params)) errors.push(...toFieldErrors(operation.pathValidator.errors, '/path'));
      }
      if (operation.queryValidator) {
        const query = { ...(req.query as Json) };
        if (!operation.queryValidator(query)) errors.push(...toFieldErrors(operation.queryValidator.errors, '/query'));
        else Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true });
      }
      for (const header of operation.headerParams) {
        const value = req.get(header.name);
        if (header.required && (value === undefined || value.trim() === '')) {
          errors.push({ pointer: `/headers/${header.name.toLowerCase()}`, detail: 'is required' });
        } else if (value !== undefined && header.schema) {
          const schema = header.schema;
          const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
          const minLength = typeof schema.minLength === 'number' ? schema.minLength : undefined;
          if ((maxLength !== undefined && value.length > maxLength) || (minLength !== undefined && value.length < minLength)) {
            errors.push({ pointer: `/headers/${header.name.toLowerCase()}`, detail: `length must be between ${minLength ?? 0} and ${maxLength ?? '∞'}` });
          }
        }
      }
      const contentType = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (operation.bodyValidators.size > 0 && !contentType.startsWith('multipart/')) {
        const hasBody = req.body !== undefined && !(typeof req.body === 'object' && req.body !== null && Object.keys(req.body as object).length === 0 && !(Number(req.get('content-length') ?? 0) > 0));
        if (!hasBody) {
          if (operation.bodyRequired) errors.push({ pointer: '/body', detail: 'a JSON body is required' });
        } else {
          const validator = operation.bodyValidators.get(contentType) ?? operation.bodyValidators.values().next().value;
          if (validator && !validator(req.body)) errors.push(...toFieldErrors(validator.errors, '/body'));
        }
      }
      if (errors.length > 0) {
        const malformedOnly = errors.every((e) => !e.pointer.startsWith('/body'));
        next(new ValidationError('The request does not match the API contract.', errors, malformedOnly ? 400 : 422));
        return;
      }
      req.openapi = { operationId: operation.operationId, template: operation.template };
      Object.assign(req.params, found.params);
      next();
    };
  }

  /** Checks a JSON response against the documented schema; returns the problems found. */
  checkResponse(method: string, path: string, status: number, contentType: string, body: unknown): string[] {
    const found = this.find(method, path);
    if (!found.operation) return [];
    const responses = found.operation.responseValidators;
    const byType = responses.get(String(status)) ?? responses.get(`${String(status)[0]}XX`) ?? responses.get('default');
    if (!byType) return [`status ${status} is not documented for ${method} ${found.operation.template}`];
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    if (byType.size === 0) return [];
    const validator = byType.get(mediaType);
    if (!validator) {
      if (!mediaType.includes('json')) return [];
      return [`content type ${mediaType} is not documented for ${status} of ${method} ${found.operation.template}`];
    }
    if (validator(body)) return [];
    return toFieldErrors(validator.errors, '').map((e) => `${e.pointer || '/'} ${e.detail}`);
  }

  /** Middleware checking JSON responses: 'strict' turns a mismatch into a 500, 'log' only logs. */
  responseValidator(mode: 'off' | 'log' | 'strict', logger: Logger): RequestHandler {
    return (req, res, next) => {
      if (mode === 'off') {
        next();
        return;
      }
      const send = res.send.bind(res);
      res.send = (body?: unknown): Response => {
        const contentType = String(res.getHeader('content-type') ?? '');
        if (contentType.includes('json') && (typeof body === 'string' || Buffer.isBuffer(body))) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body.toString());
          } catch {
            parsed = undefined;
          }
          const problems = this.checkResponse(req.method, requestPath(req), res.statusCode, contentType, parsed);
          if (problems.length > 0) {
            (req.log ?? logger).error({ problems, status: res.statusCode, path: requestPath(req) }, 'response does not match openapi.yaml');
            if (mode === 'strict') {
              res.status(500).type('application/problem+json');
              return send(JSON.stringify(problemFor(500, `response contract violation: ${problems.slice(0, 5).join('; ')}`, req.originalUrl)));
            }
          }
        }
        return send(body);
      };
      next();
    };
  }
}
