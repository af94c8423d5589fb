/**
 * Spec fuzzing with schemathesis against the running service and openapi.yaml, one run per role
 * with all of schemathesis' checks. Starts its own service over an in-memory embedded database
 * seeded with the national network, so it needs nothing running.
 *
 *   npx tsx scripts/fuzz.ts [--max-examples 25] [--roles admin,planner,…] [--report-dir test-output/fuzz] [--workers 1]
 *
 * `npm run fuzz` is the long run; the test suite runs a bounded one (test/fuzz/).
 * Exit code 0 only when every role's run found no failure.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedMongo } from '../src/db/embedded.ts';
import { createLogger } from '../src/logging.ts';
import { startService } from '../src/main.ts';
import { waitReady } from '../src/http/poll-status.ts';

const SCHEMATHESIS = resolve('.venv', 'bin', 'schemathesis');

export interface FuzzRun {
  role: string;
  exitCode: number;
  output: string;
}

/** Runs schemathesis; its output is also written as it comes to `logPath` (long runs can be followed). */
function runSchemathesis(args: string[], logPath: string): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(SCHEMATHESIS, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' } });
    const log = createWriteStream(logPath);
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => log.end(() => resolvePromise({ exitCode: code ?? 1, output })));
  });
}

/**
 * `workers`: schemathesis worker threads (default 1). Two are faster, but schemathesis on CPython
 * 3.11 sometimes stops with "AST constructor recursion depth mismatch" when two threads describe
 * their strategies at once (a race in the interpreter, not an API answer); the test suite uses 1.
 */
export async function fuzz(options: { maxExamples: number; roles: string[]; reportDir: string; maxTimeSeconds?: number; phases?: string; workers?: number }): Promise<FuzzRun[]> {
  if (!existsSync(SCHEMATHESIS)) {
    throw new Error('schemathesis is not installed: run `python3 -m venv .venv && .venv/bin/pip install schemathesis==4.32.5` (.ci/run does)');
  }
  mkdirSync(options.reportDir, { recursive: true });
  const db = await startEmbeddedMongo();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'true', SCHEDULER_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '1000000', RUTAS_DATA_DIR: join(options.reportDir, 'data') });
  const service = await startService(config, createLogger('silent'), {
    database: { uri: `${db.uri}/fuzz`, kind: 'external', release: () => Promise.resolve() },
    responseValidation: 'log',
  });
  const runs: FuzzRun[] = [];
  try {
    await waitReady(service.url, 300_000);
    const admin = await service.services.tokens.create({ role: 'admin', name: 'fuzz admin' });
    const units = (await fetch(`${service.url}/api/v1/units?limit=1&state=20`, { headers: { authorization: `Bearer ${admin.token}` } }).then((r) => r.json())) as { items: { clues: string }[] };
    const clues = units.items[0]?.clues;
    const tokens: Record<string, string> = { admin: admin.token };
    for (const role of options.roles) {
      if (tokens[role]) continue;
      const [base, state] = role.split(':');
      const created = await service.services.tokens.create({
        role: base as 'planner',
        name: `fuzz ${role}`,
        ...(base === 'unit' ? { unitClues: clues } : {}),
        ...(state ? { state } : {}),
      });
      tokens[role] = created.token;
    }
    for (const role of options.roles) {
      const roleDir = join(options.reportDir, role.replace(':', '-'));
      mkdirSync(roleDir, { recursive: true });
      const args = [
        'run', `${service.url}/openapi.yaml`,
        '--url', service.url,
        '--checks', 'all',
        '--max-examples', String(options.maxExamples),
        '--workers', String(options.workers ?? 1),
        '--seed', '20261125',
        '--suppress-health-check', 'all',
        '--request-timeout', '30',
        '-H', `Authorization: Bearer ${tokens[role]}`,
        '--report', 'junit', '--report-dir', roleDir,
      ];
      if (options.maxTimeSeconds) args.push('--max-time', String(options.maxTimeSeconds));
      if (options.phases) args.push('--phases', options.phases);
      const result = await runSchemathesis(args, join(roleDir, 'output.txt'));
      runs.push({ role, ...result });
      process.stderr.write(`fuzz ${role}: exit ${result.exitCode}\n`);
    }
  } finally {
    await service.close();
    await db.stop();
  }
  return runs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'max-examples': { type: 'string', default: '100' },
      roles: { type: 'string', default: 'admin,planner,planner:20,warehouse,unit,national' },
      'report-dir': { type: 'string', default: 'test-output/fuzz' },
      'max-time': { type: 'string' },
      phases: { type: 'string' },
      workers: { type: 'string', default: '1' },
    },
  });
  const runs = await fuzz({
    maxExamples: Number(values['max-examples']),
    roles: values.roles.split(','),
    reportDir: values['report-dir'],
    maxTimeSeconds: values['max-time'] ? Number(values['max-time']) : undefined,
    phases: values.phases,
    workers: Number(values.workers),
  });
  for (const run of runs) {
    process.stdout.write(`\n===== role ${run.role}: exit ${run.exitCode} =====\n${run.output.slice(-6000)}\n`);
  }
  process.exitCode = runs.every((run) => run.exitCode === 0) ? 0 : 1;
}
