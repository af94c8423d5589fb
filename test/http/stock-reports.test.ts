import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTestToken, request, startTestService } from '../support/service.ts';
import { CHIS_1, ITEMS, OAX_1, periods, seedNetwork } from './fixtures.ts';

type Service = Awaited<ReturnType<typeof startTestService>>;
interface Problem {
  status: number;
  errors?: { pointer: string; detail: string }[];
}

describe('stock reports API', () => {
  let service: Service;
  let unitToken: string;
  let otherUnitToken: string;
  let plannerToken: string;
  const { current, previous, next } = periods();

  const report = (overrides: Record<string, unknown> = {}) => ({
    period: previous,
    lines: [
      { code: ITEMS[0], soh: 20, consumed: 40, received: 60, adjustments: 0, stockoutDays: 0 },
      { code: ITEMS[1], soh: 0, consumed: 15, received: 0, stockoutDays: 15 },
    ],
    ...overrides,
  });
  const post = (body: unknown, key: string = randomUUID(), token = unitToken, clues = OAX_1) =>
    request<Record<string, unknown>>(service.url, `/api/v1/units/${clues}/stock-reports`, { method: 'POST', token, json: body, headers: { 'idempotency-key': key } });

  before(async () => {
    service = await startTestService();
    await seedNetwork(service);
    unitToken = await createTestToken(service, 'unit', { unitClues: OAX_1 });
    otherUnitToken = await createTestToken(service, 'unit', { unitClues: CHIS_1 });
    plannerToken = await createTestToken(service, 'planner');
  });
  after(async () => {
    await service.close();
  });

  it('stores the first report with 201 and returns the same report for the same key and body', async () => {
    const key = randomUUID();
    const first = await post(report(), key);
    expect(first.status).to.equal(201);
    expect(first.body).to.include({ clues: OAX_1, period: previous, revision: 1 });
    const again = await post(report(), key);
    expect(again.status).to.equal(200);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
  });

  it('answers 409 when the same key comes with a different body', async () => {
    const key = randomUUID();
    expect((await post(report({ period: current }), key)).status).to.equal(201);
    const conflict = await post(report({ period: current, lines: [{ code: ITEMS[0], soh: 1, consumed: 1, received: 0, stockoutDays: 0 }] }), key);
    expect(conflict.status).to.equal(409);
    expect(conflict.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });

  it('stores exactly one report when 50 requests race with the same key', async () => {
    const key = randomUUID();
    const body = report({ period: '2025-01' });
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(body, key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).to.have.length(1);
    expect(statuses.filter((s) => s === 200)).to.have.length(49);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).to.equal(1);
    const stored = await service.repositories.models.StockReport.countDocuments({ unitClues: OAX_1, period: '2025-01' });
    expect(stored).to.equal(1);
    const revision = (await service.repositories.stockReports.get(OAX_1, '2025-01'))?.revision;
    expect(revision).to.equal(1);
  });

  it('requires the Idempotency-Key header', async () => {
    const response = await request<Problem>(service.url, `/api/v1/units/${OAX_1}/stock-reports`, { method: 'POST', token: unitToken, json: report() });
    expect(response.status).to.equal(400);
    expect(response.body.errors?.[0].pointer).to.equal('/headers/idempotency-key');
  });

  it('refuses a unit token reporting for another CLUES with 403', async () => {
    const response = await post(report(), randomUUID(), otherUnitToken, OAX_1);
    expect(response.status).to.equal(403);
  });

  const invalid: { name: string; body: unknown; status: number; pointer: string }[] = [
    { name: 'an unknown item code', body: report({ lines: [{ code: 'NOPE', soh: 1, consumed: 1, received: 1, stockoutDays: 0 }] }), status: 422, pointer: '/body/lines/0/code' },
    {
      name: 'a duplicated item line',
      body: report({ lines: [{ code: ITEMS[0], soh: 1, consumed: 1, received: 1, stockoutDays: 0 }, { code: ITEMS[0], soh: 2, consumed: 1, received: 1, stockoutDays: 0 }] }),
      status: 422,
      pointer: '/body/lines/1/code',
    },
    { name: 'a negative quantity', body: report({ lines: [{ code: ITEMS[0], soh: -1, consumed: 1, received: 1, stockoutDays: 0 }] }), status: 422, pointer: '/body/lines/0/soh' },
    { name: 'a non-integer quantity', body: report({ lines: [{ code: ITEMS[0], soh: 1.5, consumed: 1, received: 1, stockoutDays: 0 }] }), status: 422, pointer: '/body/lines/0/soh' },
    {
      name: 'more lines than the catalogue',
      body: report({ lines: ITEMS.concat(ITEMS[0]).map((code) => ({ code, soh: 1, consumed: 1, received: 1, stockoutDays: 0 })) }),
      status: 422,
      pointer: '/body/lines',
    },
    { name: 'a period in the future', body: report({ period: next }), status: 422, pointer: '/body/period' },
    { name: 'a reportedAt in the future', body: report({ reportedAt: new Date(Date.now() + 86_400_000).toISOString() }), status: 422, pointer: '/body/reportedAt' },
    { name: 'an unknown field', body: report({ extra: 1 }), status: 422, pointer: '/body/extra' },
    { name: 'stockout days beyond the month', body: report({ period: '2025-02', lines: [{ code: ITEMS[0], soh: 1, consumed: 1, received: 1, stockoutDays: 30 }] }), status: 422, pointer: '/body/lines/0/stockoutDays' },
  ];
  for (const example of invalid) {
    it(`rejects ${example.name} with ${example.status} and the pointer ${example.pointer}`, async () => {
      const response = await post(example.body);
      expect(response.status).to.equal(example.status);
      const problem = response.body as unknown as Problem;
      expect(problem.errors?.map((e) => e.pointer)).to.include(example.pointer);
    });
  }

  it('rejects malformed JSON with 400', async () => {
    const response = await request<Problem>(service.url, `/api/v1/units/${OAX_1}/stock-reports`, {
      method: 'POST',
      token: unitToken,
      body: '{"period": "2025-01", "lines": [',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    });
    expect(response.status).to.equal(400);
    expect(response.body.errors?.[0].pointer).to.equal('/body');
  });

  it('shows the latest stock with AMC, months of stock and stockout risk', async () => {
    const response = await request<{ items: Record<string, unknown>[]; lastPeriod: string }>(service.url, `/api/v1/units/${OAX_1}/stock`, { token: unitToken });
    expect(response.status).to.equal(200);
    expect(response.body.lastPeriod).to.equal(current);
    const paracetamol = response.body.items.find((i) => i.code === ITEMS[0]);
    // 2025-01, the previous and the current month each consumed 40 without stockout: AMC 40; 20 on hand = 0.5 months.
    expect(paracetamol).to.include({ amcSource: 'reports', stockOnHand: 20, averageMonthlyConsumption: 40, monthsOfStock: 0.5, stockoutRisk: 'medium', period: current });
    const aspirin = response.body.items.find((i) => i.code === ITEMS[1]);
    expect(aspirin).to.include({ stockOnHand: 0, stockoutRisk: 'stocked_out' });
  });

  it('lets staff read a unit stock but not another role write reports', async () => {
    expect((await request(service.url, `/api/v1/units/${OAX_1}/stock`, { token: plannerToken })).status).to.equal(200);
    expect((await post(report(), randomUUID(), plannerToken)).status).to.equal(403);
    expect((await request(service.url, `/api/v1/units/${OAX_1}/stock`, { token: otherUnitToken })).status).to.equal(403);
  });
});
