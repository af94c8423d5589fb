import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTestToken, request, startTestService } from '../support/service.ts';
import { ITEMS, OAX_1, periods, seedNetwork } from './fixtures.ts';

type Service = Awaited<ReturnType<typeof startTestService>>;
interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { pointer: string; detail: string }[];
}

function expectProblem(response: { status: number; headers: Headers; text: string }, status: number): void {
  expect(response.status, response.text).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(response.text).not.to.match(/at [\w.<>]+ \(|node_modules|\.ts:\d+/);
}

describe('API abuse', () => {
  let service: Service;
  let admin: string;
  let unit: string;

  before(async () => {
    service = await startTestService();
    await seedNetwork(service);
    admin = await createTestToken(service, 'admin');
    unit = await createTestToken(service, 'unit', { unitClues: OAX_1 });
  });
  after(async () => {
    await service.close();
  });

  const badTokens: [string, string][] = [
    ['an empty bearer', 'Bearer '],
    ['a token of another format', 'Bearer abc.def.ghi'],
    ['a truncated token', 'Bearer rds_0123456789abcdef_short'],
    ['an unknown token', `Bearer rds_0123456789abcdef_${'x'.repeat(43)}`],
    ['a Basic header', 'Basic YWRtaW46YWRtaW4='],
  ];
  for (const [name, header] of badTokens) {
    it(`answers ${name} with 401 problem+json`, async () => {
      expectProblem(await request(service.url, '/api/v1/units', { headers: { authorization: header } }), 401);
    });
  }

  it('answers a valid token with a wrong secret with 401', async () => {
    const tampered = `${admin.slice(0, -4)}${admin.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expectProblem(await request(service.url, '/api/v1/units', { token: tampered }), 401);
  });

  const injections: [string, unknown][] = [
    ['a MongoDB operator as a value', { name: 'x', state: { code: '20' }, municipality: { name: { $gt: '' } }, type: 'centro de salud', sizeClass: 'nb-1' }],
    ['a $where key', { $where: 'sleep(1000)', name: 'x' }],
    ['a dotted key', { 'state.code': '07', name: 'x' }],
    ['__proto__', JSON.parse('{"__proto__": {"role": "admin"}, "name": "x"}') as unknown],
    ['constructor.prototype', { constructor: { prototype: { polluted: true } }, name: 'x' }],
  ];
  for (const [name, body] of injections) {
    it(`rejects ${name} in a body with 400`, async () => {
      const response = await request<Problem>(service.url, '/api/v1/units', { method: 'POST', token: admin, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      expectProblem(response, 400);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  }

  it('rejects an operator smuggled into a stock report line with 400 and stores nothing', async () => {
    const response = await request(service.url, `/api/v1/units/${OAX_1}/stock-reports`, {
      method: 'POST',
      token: unit,
      headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify({ period: periods().previous, lines: [{ code: { $ne: null }, soh: 1, consumed: 1, received: 1, stockoutDays: 0 }] }),
    });
    expectProblem(response, 400);
    expect(await service.repositories.models.StockReport.countDocuments({})).to.equal(0);
  });

  it('rejects operators in the query string with 400', async () => {
    expectProblem(await request(service.url, '/api/v1/units?%24where=1', { token: admin }), 400);
  });

  it('rejects a body that is not JSON with 415 and deeply nested JSON with 400', async () => {
    expectProblem(await request(service.url, '/api/v1/units', { method: 'POST', token: admin, body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    let nested: unknown = 1;
    for (let i = 0; i < 60; i += 1) nested = { a: nested };
    expectProblem(await request(service.url, '/api/v1/units', { method: 'POST', token: admin, json: nested }), 400);
  });

  it('rejects an oversize array of lines with 422 before touching the database', async () => {
    const lines = Array.from({ length: 1001 }, (_, i) => ({ code: `X${i}`, soh: 1, consumed: 1, received: 1, stockoutDays: 0 }));
    expectProblem(await request(service.url, `/api/v1/units/${OAX_1}/stock-reports`, { method: 'POST', token: unit, headers: { 'idempotency-key': randomUUID() }, json: { period: periods().previous, lines } }), 422);
  });

  it('answers an unknown CLUES for a unit token with 403, not 404 (no probing of other units)', async () => {
    const response = await request(service.url, '/api/v1/units/ZZSSA999999/stock', { token: unit });
    expectProblem(response, 403);
  });

  it('applies duplicate and reordered retries of stock reports once', async () => {
    const { previous } = periods();
    const older = { period: '2025-03', lines: [{ code: ITEMS[0], soh: 50, consumed: 10, received: 0, stockoutDays: 0 }] };
    const newer = { period: previous, lines: [{ code: ITEMS[0], soh: 7, consumed: 20, received: 0, stockoutDays: 0 }] };
    const [keyOld, keyNew] = [randomUUID(), randomUUID()];
    const send = (body: unknown, key: string) => request(service.url, `/api/v1/units/${OAX_1}/stock-reports`, { method: 'POST', token: unit, headers: { 'idempotency-key': key }, json: body });
    // The newer report arrives first, then the older one, then both again.
    expect((await send(newer, keyNew)).status).to.equal(201);
    expect((await send(older, keyOld)).status).to.equal(201);
    expect((await send(newer, keyNew)).status).to.equal(200);
    expect((await send(older, keyOld)).status).to.equal(200);
    const stock = await request<{ items: { code: string; stockOnHand: number; averageMonthlyConsumption: number }[] }>(service.url, `/api/v1/units/${OAX_1}/stock`, { token: unit });
    // The latest period wins the stock on hand; both periods count once in the AMC.
    expect(stock.body.items[0]).to.include({ code: ITEMS[0], stockOnHand: 7, averageMonthlyConsumption: 15 });
    expect(await service.repositories.models.StockReport.countDocuments({ unitClues: OAX_1 })).to.equal(2);
  });
});

describe('rate limit per token', () => {
  let service: Service;

  before(async () => {
    service = await startTestService({ RATE_LIMIT_PER_MINUTE: '5' });
    await seedNetwork(service);
  });
  after(async () => {
    await service.close();
  });

  it('answers the request over the limit with 429 problem+json and leaves other tokens alone', async () => {
    const busy = await createTestToken(service, 'planner');
    const quiet = await createTestToken(service, 'planner');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await request(service.url, '/api/v1/items', { token: busy })).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429]);
    const limited = await request<Problem>(service.url, '/api/v1/items', { token: busy });
    expectProblem(limited, 429);
    expect(limited.headers.get('retry-after')).to.match(/^\d+$/);
    expect((await request(service.url, '/api/v1/items', { token: quiet })).status).to.equal(200);
  });

  it('limits failed authentication attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await request(service.url, '/api/v1/items', { headers: { authorization: `Bearer rds_${'0'.repeat(16)}_${'y'.repeat(43)}` } })).status);
    }
    expect(statuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).to.deep.equal([429, 429]);
  });
});
