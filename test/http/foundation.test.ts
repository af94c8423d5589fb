import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig, type ConfigError } from '../../src/config.ts';
import { startEmbeddedMongo } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/logging.ts';
import { startService, type RunningService } from '../../src/main.ts';
import { createTestToken, request, startTestService } from '../support/service.ts';
import { ITEMS, OAX_1, seedNetwork } from './fixtures.ts';
import { pollStatus } from '../../src/http/poll-status.ts';


describe('service foundation', () => {
  let service: RunningService;

  before(async () => {
    service = await startTestService();
  });
  after(async () => {
    await service.close();
  });

  it('answers /healthz while the process is alive', async () => {
    const response = await request(service.url, '/healthz');
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ status: 'ok' });
  });

  it('answers /readyz 200 when the database answers a ping', async () => {
    const response = await request(service.url, '/readyz');
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ status: 'ready', database: 'up' });
  });

  it('serves openapi.yaml and the docs page', async () => {
    const spec = await request(service.url, '/openapi.yaml');
    expect(spec.status).to.equal(200);
    expect(spec.text).to.match(/^openapi: 3\.1\.0/);
    const docs = await request(service.url, '/docs');
    expect(docs.status).to.equal(200);
    expect(docs.text).to.include('swagger-ui');
    const asset = await fetch(`${service.url}/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).to.equal(200);
    expect((await asset.arrayBuffer()).byteLength).to.be.greaterThan(100_000);
  });

  it('answers unknown routes with a 404 problem+json', async () => {
    const response = await request<Record<string, unknown>>(service.url, '/api/v1/no-such-thing');
    expect(response.status).to.equal(404);
    expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(response.body).to.include({ status: 404, title: 'Not found', instance: '/api/v1/no-such-thing' });
    expect(response.body.type).to.be.a('string');
  });

  it('echoes a valid X-Request-Id and creates one otherwise', async () => {
    const given = await request(service.url, '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).to.equal('abc-123');
    const created = await request(service.url, '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(created.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and keeps CORS closed by default', async () => {
    const response = await request(service.url, '/healthz', { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(response.headers.get('access-control-allow-origin')).to.equal(null);
    expect(response.headers.get('x-powered-by')).to.equal(null);
  });
});

describe('configuration', () => {
  it('rejects invalid settings naming each variable', () => {
    let problems: string[] = [];
    try {
      loadConfig({ PORT: 'abc', MONGODB_URI: 'http://x', LOG_LEVEL: 'loud', RESPONSE_VALIDATION: 'sometimes' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).to.have.length(4);
    expect(problems.join('\n'))
      .to.match(/PORT must be an integer/)
      .and.match(/MONGODB_URI must be a URL/)
      .and.match(/LOG_LEVEL must be one of/)
      .and.match(/RESPONSE_VALIDATION must be one of off, log, strict/);
  });

  it('uses documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(3000);
    expect(config.mongodbUri).to.equal(undefined);
    expect(config.circuityFactor).to.equal(1.3);
    expect(config.responseValidation).to.equal('log');
    expect(config.idempotencyRetentionDays).to.equal(30);
    expect(config.scheduler.timezone).to.equal('America/Mexico_City');
  });
});

describe('database outage', () => {
  it('answers 503 problem+json while the database is down, recovers without a restart and loses no acknowledged report', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'rutas-outage-'));
    const file = join(dir, 'db.mv');
    let db = await startEmbeddedMongo({ file });
    const port = db.port;
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'false', SCHEDULER_ENABLED: 'false' });
    const service = await startService(config, createLogger(process.env.OUTAGE_LOG ? 'error' : 'silent'), {
      database: { uri: `${db.uri}/outage`, kind: 'external', release: () => Promise.resolve() },
    });
    // Stock reports keep coming, one period each, through the whole outage (two units at a time).
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let stop = false;
    let month = 0;
    const traffic = async (token: string): Promise<void> => {
      while (!stop) {
        const m = month++;
        const period = `${2000 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        const response = await request<{ type?: string }>(service.url, `/api/v1/units/${OAX_1}/stock-reports`, {
          method: 'POST',
          token,
          json: { period, lines: [{ code: ITEMS[0], soh: m, consumed: 1, received: 0, stockoutDays: 0 }] },
          headers: { 'idempotency-key': `outage-${period}` },
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 201 && response.status !== 503) unexpected.push(`${response.status} ${JSON.stringify(response.body)}`);
        if (response.status === 201) acknowledged.push(period);
        else expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        if (response.status !== 201) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    let running: Promise<void[]> | undefined;
    try {
      expect(await pollStatus(`${service.url}/readyz`, 200, 10_000)).to.equal(200);
      await seedNetwork(service);
      const token = await createTestToken(service, 'unit', { unitClues: OAX_1 });
      running = Promise.all([traffic(token), traffic(token)]);
      while (acknowledged.length < 10) await new Promise((resolve) => setTimeout(resolve, 20));

      await db.stop();
      const down = await request<Record<string, unknown>>(service.url, '/readyz');
      expect(down.status).to.equal(503);
      expect(down.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(down.body.status).to.equal(503);
      const read = await request<Record<string, unknown>>(service.url, `/api/v1/units/${OAX_1}/stock`, { token });
      expect(read.status).to.equal(503);
      expect(read.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(JSON.stringify(read.body)).to.not.match(/Mongo|at \//);
      const ackedBeforeRestart = acknowledged.length;

      db = await startEmbeddedMongo({ file, port });
      expect(await pollStatus(`${service.url}/readyz`, 200, 30_000)).to.equal(200);
      while (acknowledged.length < ackedBeforeRestart + 10) await new Promise((resolve) => setTimeout(resolve, 20));
      stop = true;
      await running;

      // Only 201s and 503s, and every acknowledged report is in the database after the restart.
      expect(unexpected).to.deep.equal([]);
      expect([...statuses.keys()].sort()).to.deep.equal([201, 503]);
      for (const period of acknowledged) {
        const stored = await service.repositories.stockReports.get(OAX_1, period);
        expect(stored?.lines[0].soh, period).to.be.a('number');
      }
      const current = await service.repositories.stockReports.getCurrent(OAX_1);
      expect(current?.items[ITEMS[0]].history.length).to.be.greaterThan(0);
    } finally {
      stop = true;
      await running?.catch(() => undefined);
      await service.close();
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
