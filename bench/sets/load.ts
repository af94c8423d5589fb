/**
 * Load benchmark: `npm run bench -- --set load [--reports 3000] [--connections 20] [--lines 147]`.
 *
 * Starts the embedded database with its H2 file and the service in a process of its own (as
 * `npm start` runs it; bench/sets/load-service.ts), seeded with the national network, then on
 * loopback only:
 *   1. measures the raw driver rate for equivalent stock-report documents (insertOne, same
 *      concurrency) — the ceiling the embedded server allows on this machine in this run;
 *   2. posts stock reports from many units through the API (unit tokens, Idempotency-Key);
 *   3. reads unit stock through the API;
 * then checks that every acknowledged (201) report is in the database, and writes
 * bench/results/load.md. Bounded in count and time. `--profile <dir>` writes a CPU profile of the
 * service process there.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import autocannonModule from 'autocannon';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../src/db/embedded.ts';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface CannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (request: CannonRequest) => CannonRequest;
}
type Autocannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = autocannonModule as Autocannon;

type ServiceProcess = ChildProcessByStdio<Writable, Readable, null>;

/** Starts bench/sets/load-service.ts and waits for its {url, token} line. */
async function startServiceProcess(uri: string, dir: string, profileDir: string | undefined): Promise<{ child: ServiceProcess; url: string; token: string }> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join('bench', 'sets', 'load-service.ts'), uri, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the service process exited with code ${code} before it was ready`)));
  });
  lines.close();
  const { url, token } = JSON.parse(first) as { url: string; token: string };
  return { child, url, token };
}

async function stopServiceProcess(child: ServiceProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Creates a round of one state and generates its plan (short time budget); returns its size. */
async function generatePlan(url: string, auth: Record<string, string>, state: string): Promise<{ id: string; routes: number; stops: number }> {
  const start = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const end = new Date(Date.now() + 18 * 86_400_000).toISOString().slice(0, 10);
  const round = await fetch(`${url}/api/v1/rounds`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'load benchmark', type: 'extraordinary', level: 'first', deliveryStart: start, deliveryEnd: end, states: [state] }) });
  if (round.status !== 201) throw new Error(`creating the round answered ${round.status}: ${await round.text()}`);
  const roundId = ((await round.json()) as { id: string }).id;
  const accepted = await fetch(`${url}/api/v1/rounds/${roundId}/plans`, { method: 'POST', headers: auth, body: JSON.stringify({ seed: 1, timeBudgetMs: 5000 }) });
  if (accepted.status !== 202) throw new Error(`generating the plan answered ${accepted.status}: ${await accepted.text()}`);
  const planId = ((await accepted.json()) as { id: string }).id;
  for (const until = Date.now() + 600_000; Date.now() < until; ) {
    const plan = (await fetch(`${url}/api/v1/plans/${planId}`, { headers: auth }).then((r) => r.json())) as { status: string };
    if (plan.status === 'draft') {
      const body = (await fetch(`${url}/api/v1/plans/${planId}/routes`, { headers: auth }).then((r) => r.json())) as { items: { stops: unknown[] }[] };
      return { id: planId, routes: body.items.length, stops: body.items.reduce((sum, route) => sum + route.stops.length, 0) };
    }
    if (plan.status !== 'queued' && plan.status !== 'running') throw new Error(`the plan ended ${plan.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the plan was not generated within 10 minutes');
}

function periodsBackFrom(now: Date, count: number): string[] {
  const periods: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1));
    periods.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return periods;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      reports: { type: 'string', default: '3000' },
      connections: { type: 'string', default: '20' },
      lines: { type: 'string', default: '147' },
      units: { type: 'string', default: '1000' },
      state: { type: 'string', default: '07' },
      profile: { type: 'string' },
    },
  });
  const reports = Number(values.reports);
  const connections = Number(values.connections);
  const lineCount = Number(values.lines);
  const unitCount = Number(values.units);
  const dir = mkdtempSync(join(tmpdir(), 'rutas-load-'));
  const db = await startEmbeddedMongo({ file: join(dir, 'load.mv') });
  const uri = `${db.uri}/load`;
  const client = await MongoClient.connect(uri, { maxPoolSize: connections });
  process.stderr.write('seeding the national network…\n');
  const service = await startServiceProcess(uri, dir, values.profile);
  try {
    const serviceUrl = service.url;
    const loadBefore = loadavg()[0].toFixed(2);
    const auth = { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' };
    const items = (await fetch(`${serviceUrl}/api/v1/items?limit=500`, { headers: auth }).then((r) => r.json())) as { items: { code: string }[] };
    const codes = items.items.slice(0, lineCount).map((item) => item.code);
    // Units of one state, page by page (500 a page), each with its own token.
    const units: { clues: string }[] = [];
    for (let cursor: string | null = null; units.length < unitCount; ) {
      const page = (await fetch(`${serviceUrl}/api/v1/units?limit=500&state=${values.state}${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth }).then((r) => r.json())) as { items: { clues: string }[]; next: string | null };
      units.push(...page.items.slice(0, unitCount - units.length));
      cursor = page.next;
      if (!cursor) break;
    }
    const tokens: { clues: string; token: string }[] = [];
    for (const unit of units) {
      const created = await fetch(`${serviceUrl}/api/v1/tokens`, { method: 'POST', headers: auth, body: JSON.stringify({ role: 'unit', unitClues: unit.clues, name: `load ${unit.clues}` }) });
      if (created.status !== 201) throw new Error(`creating a unit token answered ${created.status}: ${await created.text()}`);
      tokens.push({ clues: unit.clues, token: ((await created.json()) as { token: string }).token });
    }
    // Phases 2 and 5 both post `reports` reports, each for a distinct unit and period.
    const periods = periodsBackFrom(new Date(), Math.ceil((2 * reports) / tokens.length) + 1);
    const plan = await generatePlan(serviceUrl, auth, values.state);
    const lines = codes.map((code, i) => ({ code, soh: 10 + (i % 50), consumed: 5 + (i % 30), received: 20, adjustments: 0, stockoutDays: i % 5 === 0 ? 2 : 0 }));

    // 1. Raw driver ceiling: the same documents, one insertOne each, same concurrency.
    const raw = client.db().collection('load_raw_reports');
    const rawStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < reports) {
          const n = next++;
          await raw.insertOne({ _id: `R${n}` as never, clues: tokens[n % tokens.length].clues, period: periods[Math.floor(n / tokens.length)], reportedAt: new Date(), lines });
        }
      }),
    );
    const rawRate = reports / ((performance.now() - rawStart) / 1000);
    await raw.drop();

    // 2. Stock reports through the API.
    let sent = 0;
    const post: CannonRequest = {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        const n = sent++;
        const unit = tokens[n % tokens.length];
        const period = periods[Math.floor(n / tokens.length)];
        return {
          ...request,
          path: `/api/v1/units/${unit.clues}/stock-reports`,
          headers: { ...request.headers, authorization: `Bearer ${unit.token}`, 'idempotency-key': `load-${unit.clues}-${period}` },
          body: JSON.stringify({ period, lines }),
        };
      },
    };
    const writes = await autocannon({ url: serviceUrl, connections, amount: reports, requests: [post], timeout: 30 });
    const acknowledgedAlone = writes.statusCodeStats['201']?.count ?? 0;
    // 3. Reads of unit stock.
    let read = 0;
    const get: CannonRequest = {
      method: 'GET',
      path: '/',
      headers: {},
      setupRequest: (request) => {
        const unit = tokens[read++ % tokens.length];
        return { ...request, path: `/api/v1/units/${unit.clues}/stock`, headers: { authorization: `Bearer ${unit.token}` } };
      },
    };
    const reads = await autocannon({ url: serviceUrl, connections, amount: Math.min(reports, 3000), requests: [get], timeout: 30 });

    // 4. Reads of the plan's routes (planners, warehouses and national staff follow a round).
    const routes: CannonRequest = { method: 'GET', path: `/api/v1/plans/${plan.id}/routes`, headers: { authorization: `Bearer ${service.token}` } };
    const planReads = await autocannon({ url: serviceUrl, connections, amount: Math.min(reports, 2000), requests: [routes], timeout: 30 });

    // 5. Mixed: stock reports and plan reads at the same time, half the connections each.
    const half = Math.max(1, Math.floor(connections / 2));
    const [mixedWrites, mixedReads] = await Promise.all([
      autocannon({ url: serviceUrl, connections: half, amount: reports, requests: [post], timeout: 30 }),
      autocannon({ url: serviceUrl, connections: half, duration: 3600, amount: Math.min(reports, 2000), requests: [routes], timeout: 30 }),
    ]);
    const acknowledged = acknowledgedAlone + (mixedWrites.statusCodeStats['201']?.count ?? 0);
    const stored = await client.db().collection('stock_reports').countDocuments();

    const ok = (result: CannonResult, status: string) => `${result.statusCodeStats[status]?.count ?? 0}/${result.requests.total}`;
    const row = (name: string, result: CannonResult, status: string, check: string) => [name, result.requests.average.toFixed(0), String(result.latency.p50), String(result.latency.p99), ok(result, status), check];
    const rows = [
      ['raw driver insertOne (same documents)', rawRate.toFixed(0), '—', '—', '—', String(reports)],
      row('POST stock-reports (API)', writes, '201', '—'),
      row('GET units/{clues}/stock (API)', reads, '200', '—'),
      row(`GET plans/{id}/routes (API, ${plan.routes} routes, ${plan.stops} stops)`, planReads, '200', '—'),
      row('mixed: POST stock-reports', mixedWrites, '201', '—'),
      row('mixed: GET plans/{id}/routes', mixedReads, '200', '—'),
      ['every acknowledged report stored', '—', '—', '—', `${acknowledged} acknowledged`, `stored ${stored}`],
    ];
    const table = [
      `# Load benchmark (${new Date().toISOString().slice(0, 16)}Z)`,
      '',
      `Embedded database with H2 file, the service in its own process, loopback, ${connections} connections, ${tokens.length} unit tokens of state ${values.state}, ${lineCount} lines per report, ${reports} reports per write phase; the plan read is the draft plan of a round of state ${values.state}. Machine: ${cpus().length} cores, load average before the run ${loadBefore}.`,
      '',
      '| workload | req/s | p50 ms | p99 ms | ok / sent | check |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
      '',
      `**Summary**: API stock reports ${writes.requests.average.toFixed(0)}/s = ${((writes.requests.average / rawRate) * 100).toFixed(0)} % of the raw driver rate measured in the same run (${rawRate.toFixed(0)}/s); p99 ${writes.latency.p99} ms; every acknowledged report stored: ${stored === acknowledged ? 'yes' : `NO (${stored} stored, ${acknowledged} acknowledged)`}.`,
      '',
    ].join('\n');
    writeFileSync(join('bench', 'results', 'load.md'), table);
    process.stdout.write(table);
    if (stored !== acknowledged) process.exitCode = 1;
  } finally {
    await stopServiceProcess(service.child);
    await client.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
