import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logging.ts';
import { startService, type RunningService } from '../../src/main.ts';
import { freshDatabaseTarget } from '../support/db.ts';
import { createTestToken, request } from '../support/service.ts';
import { OAX_5, PLAN_ID, ROUND_ID, seedDispatchedPlan } from '../services/execution/plan-fixture.ts';

/** Two instances on one database: a delivery recorded on one reaches the live view of the other. */
describe('progress streams across instances', function () {
  this.timeout(60_000);
  const services: RunningService[] = [];

  after(async () => {
    await Promise.all(services.map((s) => s.close()));
  });

  it('sends a progress event on instance B for a delivery recorded on instance A', async () => {
    const database = await freshDatabaseTarget('exec_instances');
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'false', SCHEDULER_ENABLED: 'false', RUTAS_DATA_DIR: '.data/test' });
    for (let k = 0; k < 2; k += 1) services.push(await startService(config, createLogger('silent'), { database, responseValidation: 'strict' }));
    const [a, b] = services;
    await seedDispatchedPlan(a);
    const coordinator = await createTestToken(a, 'planner', { state: '20' });
    const national = await createTestToken(a, 'national');

    const controller = new AbortController();
    const stream = await fetch(`${b.url}/api/v1/rounds/${ROUND_ID}/progress/events`, { headers: { authorization: `Bearer ${national}` }, signal: controller.signal });
    expect(stream.status).to.equal(200);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const nextProgress = async (): Promise<{ totals: { unitsDelivered: number } }> => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const index = buffer.indexOf('\n\n');
        if (index >= 0) {
          const block = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (block.includes('event: progress') && data) return JSON.parse(data.slice(6)) as { totals: { unitsDelivered: number } };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
      }
      throw new Error('no progress event before the deadline');
    };
    try {
      expect((await nextProgress()).totals.unitsDelivered).to.equal(0);
      const recorded = await request(a.url, `/api/v1/plans/${PLAN_ID}/stops/${OAX_5}/delivery`, {
        method: 'POST',
        token: coordinator,
        json: { delivered: true, receivedBy: 'Recibe en A' },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(recorded.status, recorded.text).to.equal(201);
      // B learns of it by its own poll of the database (no shared memory, no sticky sessions).
      expect((await nextProgress()).totals.unitsDelivered).to.equal(1);
    } finally {
      controller.abort();
    }
  });
});
