#!/usr/bin/env node
// Adds the problem responses every operation can produce to openapi.yaml, so the contract says
// what the middleware really answers (bad input 400, auth 401/403, rate limit 429, body limits
// 413/415, semantic validation 422, missing resources 404, outages 503).
//   node scripts/normalize-openapi.mjs          rewrite openapi.yaml in place
//   node scripts/normalize-openapi.mjs --check  exit 1 when something is missing
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

const PATH = new URL('../openapi.yaml', import.meta.url);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const REFS = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Unprocessable',
  429: 'TooManyRequests',
  503: 'Unavailable',
};

export function requiredStatuses(path, operation, globalSecurity) {
  const statuses = ['400', '503'];
  const security = operation.security ?? globalSecurity;
  const authenticated = Array.isArray(security) && security.length > 0;
  if (authenticated) statuses.push('401', '403', '429');
  if (path.includes('{')) statuses.push('404');
  const hasQuery = (operation.parameters ?? []).some((p) => p.in === 'query' || typeof p.$ref === 'string');
  if (operation.requestBody) statuses.push('413', '415', '422');
  else if (hasQuery) statuses.push('422');
  return statuses;
}

const text = readFileSync(PATH, 'utf8');
const spec = parseDocument(text).toJS();
const lines = text.split('\n');
const missing = [];
const insertions = []; // [lineIndex, newLines[]]

/** Index of the `responses:` line of an operation, found by indentation (keeps the file's own formatting). */
function responsesLine(path, method) {
  const pathLine = lines.findIndex((line) => line === `  ${path}:` || line === `  '${path}':` || line === `  "${path}":`);
  if (pathLine < 0) return -1;
  let methodLine = -1;
  for (let i = pathLine + 1; i < lines.length && !/^ {0,2}\S/.test(lines[i]); i++) {
    if (lines[i] === `    ${method}:`) {
      methodLine = i;
      break;
    }
  }
  if (methodLine < 0) return -1;
  for (let i = methodLine + 1; i < lines.length && !/^ {0,4}\S/.test(lines[i]); i++) {
    if (lines[i] === '      responses:') return i;
  }
  return -1;
}

for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    const absent = requiredStatuses(path, operation, spec.security).filter((status) => !operation.responses?.[status]);
    if (absent.length === 0) continue;
    missing.push(...absent.map((status) => `${method.toUpperCase()} ${path} ${status}`));
    const at = responsesLine(path, method);
    if (at < 0) throw new Error(`cannot find the responses of ${method.toUpperCase()} ${path} (expected 6-space "responses:")`);
    insertions.push([at, absent.map((status) => `        '${status}': {$ref: '#/components/responses/${REFS[status]}'}`)]);
  }
}
if (process.argv.includes('--check')) {
  if (missing.length > 0) {
    console.error(`openapi.yaml lacks ${missing.length} standard responses (run node scripts/normalize-openapi.mjs):\n${missing.slice(0, 30).join('\n')}`);
    process.exit(1);
  }
  console.log('openapi.yaml documents the standard responses of every operation');
} else {
  insertions.sort((a, b) => b[0] - a[0]);
  for (const [at, added] of insertions) lines.splice(at + 1, 0, ...added);
  writeFileSync(PATH, lines.join('\n'));
  console.log(`added ${missing.length} responses`);
}
