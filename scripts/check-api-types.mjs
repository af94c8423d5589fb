#!/usr/bin/env node
// Fails when src/http/api-types.ts is not what openapi-typescript generates from openapi.yaml.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'rutas-api-types-'));
const generated = join(dir, 'api-types.ts');
try {
  execFileSync('npx', ['--no-install', 'openapi-typescript', 'openapi.yaml', '-o', generated], { stdio: ['ignore', 'ignore', 'inherit'] });
  const committed = readFileSync('src/http/api-types.ts', 'utf8');
  if (readFileSync(generated, 'utf8') !== committed) {
    console.error('src/http/api-types.ts is out of date with openapi.yaml: run `npm run gen:api-types`.');
    process.exit(1);
  }
  console.log('api-types.ts is up to date with openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
