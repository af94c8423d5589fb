/**
 * Load benchmark: `npm run bench -- --set load [--reports 3000] [--connections 20] [--lines 147]`.
 *
 * Starts the service over the embedded database with its H2 file (as `npm start` does), seeded
 * with the national network, then on loopback only:
 *   1. measures the raw driver rate for equivalent stock-report documents (insertOne, same
 *      concurrency) — the ceiling the embedded server allows on this machine in this run;
 *   2. posts stock reports from many units through the API (unit tokens, Idempotency-Key);
 *   3. reads unit stock through the API;
 * then checks that every acknowledged (201) report is in the database, and writes
 * bench/results/load.md. Bounded in count and time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannonModule from 'autocannon';
import { loadConfig } from '../../src/config.ts';
import { startEmbeddedMongo } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/logging.ts';
import { startService } from '../../src/main.ts';

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

async function waitReady(url: string): Promise<void> {
  const end = Date.now() + 600_000;
  while (Date.now() < end) {
    if ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('service not ready after 10 minutes');
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
      units: { type: 'string', default: '300' },
    },
  });
  const reports = Number(values.reports);
  const connections = Number(values.connections);
  const lineCount = Number(values.lines);
  const unitCount = Number(values.units);
  const dir = mkdtempSync(join(tmpdir(), 'rutas-load-'));
  const db = await startEmbeddedMongo({ file: join(dir, 'load.mv') });
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '10000000', RUTAS_DATA_DIR: dir });
  const service = await startService(config, createLogger('silent'), { database: { uri: `${db.uri}/load`, kind: 'external', release: () => Promise.resolve() } });
  try {
    process.stderr.write('seeding the national network…\n');
    await waitReady(service.url);
    const admin = await service.services.tokens.create({ role: 'admin', name: 'load admin' });
    const auth = { authorization: `Bearer ${admin.token}` };
    const items = (await fetch(`${service.url}/api/v1/items?limit=500`, { headers: auth }).then((r) => r.json())) as { items: { code: string }[] };
    const codes = items.items.slice(0, lineCount).map((item) => item.code);
    const units = (await fetch(`${service.url}/api/v1/units?limit=${unitCount}&state=07`, { headers: auth }).then((r) => r.json())) as { items: { clues: string }[] };
    const tokens: { clues: string; token: string }[] = [];
    for (const unit of units.items) {
      tokens.push({ clues: unit.clues, token: (await service.services.tokens.create({ role: 'unit', unitClues: unit.clues, name: `load ${unit.clues}` })).token });
    }
    const periods = periodsBackFrom(new Date(), Math.ceil(reports / tokens.length) + 1);
    const lines = codes.map((code, i) => ({ code, soh: 10 + (i % 50), consumed: 5 + (i % 30), received: 20, adjustments: 0, stockoutDays: i % 5 === 0 ? 2 : 0 }));

    // 1. Raw driver ceiling: the same documents, one insertOne each, same concurrency.
    const raw = service.connection.db!.collection('load_raw_reports');
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
    const writes = await autocannon({ url: service.url, connections, amount: reports, requests: [post], timeout: 30 });
    const acknowledged = writes.statusCodeStats['201']?.count ?? 0;
    const stored = await service.connection.db!.collection('stock_reports').countDocuments();

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
    const reads = await autocannon({ url: service.url, connections, amount: Math.min(reports, 3000), requests: [get], timeout: 30 });

    const rows = [
      ['raw driver insertOne (same documents)', rawRate.toFixed(0), '—', '—', '—', String(reports)],
      ['POST stock-reports (API)', writes.requests.average.toFixed(0), String(writes.latency.p50), String(writes.latency.p99), `${acknowledged}/${writes.requests.total}`, `stored ${stored}`],
      ['GET units/{clues}/stock (API)', reads.requests.average.toFixed(0), String(reads.latency.p50), String(reads.latency.p99), `${reads.statusCodeStats['200']?.count ?? 0}/${reads.requests.total}`, '—'],
    ];
    const table = [
      `# Load benchmark (${new Date().toISOString().slice(0, 16)}Z)`,
      '',
      `Embedded database with H2 file, loopback, ${connections} connections, ${tokens.length} unit tokens, ${lineCount} lines per report, ${reports} reports.`,
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
    await service.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
