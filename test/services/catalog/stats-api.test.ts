import { expect } from 'chai';
import { importCluesFile } from '../../../src/services/catalog/import-clues.ts';
import { createTestToken, request, startTestService } from '../../support/service.ts';
import type { NetworkStats } from '../../../src/services/catalog/stats.ts';
import { UTF8_CSV } from './helpers.ts';

type Running = Awaited<ReturnType<typeof startTestService>>;

async function pollUntil(condition: () => Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return condition();
}

describe('seed on start and GET /api/v1/stats (whole service)', function () {
  this.timeout(300_000);
  let service: Running;
  let national: string;

  before(async () => {
    service = await startTestService({ SEED_ON_START: 'true' }, 'catalog_stats');
    national = await createTestToken(service, 'national');
  });
  after(async () => {
    await service.close();
  });

  it('seeds an empty database at start and only reports ready once the network is complete', async () => {
    const ready = await pollUntil(async () => (await request(service.url, '/readyz')).status === 200, 240_000);
    expect(ready).to.equal(true);
    const stats = await request<NetworkStats>(service.url, '/api/v1/stats', { token: national });
    expect(stats.status, stats.text).to.equal(200);
    expect(stats.body.units).to.include({ total: 9614, active: 9614, real: 9614, manual: 0 });
    expect(Object.keys(stats.body.units.byState)).to.have.length(23);
    expect(stats.body).to.include({ items: 147, kitTemplates: 10, warehouses: 24 });
    expect(stats.body.vehicles.byType).to.deep.equal({ '1.5t-van': 38, '3.5t-truck': 96, boat: 5, refrigerated: 27 });
  });

  it('answers every staff role, refuses unit tokens and anonymous callers', async () => {
    for (const role of ['admin', 'planner', 'warehouse'] as const) {
      const token = await createTestToken(service, role);
      expect((await request(service.url, '/api/v1/stats', { token })).status, role).to.equal(200);
    }
    const unitToken = await createTestToken(service, 'unit', { unitClues: 'HGIMB000011' });
    expect((await request(service.url, '/api/v1/stats', { token: unitToken })).status).to.equal(403);
    expect((await request(service.url, '/api/v1/stats')).status).to.equal(401);
  });

  it('counts a unit registered by hand, placed at its municipality, until a CLUES import merges it', async () => {
    const admin = await createTestToken(service, 'admin');
    const created = await request<{ clues: string; source: string; locationPrecision: string; sizeClass: string; location: { coordinates: number[] } }>(service.url, '/api/v1/units', {
      method: 'POST',
      token: admin,
      json: {
        clues: 'HGIMB005150',
        name: 'UNEME DEDICAM (alta manual)',
        state: { code: '13' },
        municipality: { name: 'Pachuca de Soto' },
        type: 'UNEME',
        tipologia: 'UNIDAD DE ESPECIALIDADES MÉDICAS (UNEMES)',
        contact: { phone: '7717170000' },
      },
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ source: 'manual', locationPrecision: 'municipality', sizeClass: 'uneme' });
    expect(created.body.location.coordinates).to.deep.equal([-98.737001, 20.12236]);
    let stats = await request<NetworkStats>(service.url, '/api/v1/stats', { token: national });
    expect(stats.body.units).to.include({ total: 9615, real: 9614, manual: 1 });

    const report = await importCluesFile(UTF8_CSV, service.repositories);
    expect(report.units.mergedManual).to.equal(1);
    const merged = await request<{ source: string; locationPrecision: string; contact: unknown; name: string }>(service.url, '/api/v1/units/HGIMB005150', { token: national });
    expect(merged.body).to.include({ source: 'clues-import', locationPrecision: 'exact', name: 'UNEME-DEDICAM' });
    expect(merged.body.contact).to.deep.equal({ phone: '7717170000' });
    stats = await request<NetworkStats>(service.url, '/api/v1/stats', { token: national });
    expect(stats.body.units).to.include({ total: 9615, real: 9615, manual: 0 });
    expect(stats.body.units.bySource['clues-import']).to.equal(16);
  });
});
