import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTestToken, request, startTestService } from '../support/service.ts';
import { CHIS_1, ITEMS, OAX_1, OAX_2, periods, seedNetwork } from './fixtures.ts';

type Service = Awaited<ReturnType<typeof startTestService>>;
interface Page<T = Record<string, unknown>> {
  items: T[];
  total: number;
  next: string | null;
}
interface Problem {
  status: number;
  detail: string;
  errors?: { pointer: string; detail: string }[];
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 5000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let value = await read();
  while (!done(value) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('core API behaviour', () => {
  let service: Service;
  let admin: string;
  let planner: string;
  let planner20: string;
  let warehouse: string;
  let unit: string;

  before(async () => {
    service = await startTestService();
    await seedNetwork(service);
    admin = await createTestToken(service, 'admin', { name: 'root' });
    planner = await createTestToken(service, 'planner');
    planner20 = await createTestToken(service, 'planner', { state: '20' });
    warehouse = await createTestToken(service, 'warehouse', { name: 'almacenista' });
    unit = await createTestToken(service, 'unit', { unitClues: OAX_1 });
  });
  after(async () => {
    await service.close();
  });

  describe('units', () => {
    it('pages units with an opaque cursor until next is null', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page: { status: number; body: Page } = await request<Page>(service.url, `/api/v1/units?limit=2${query}`, { token: planner });
        expect(page.status).to.equal(200);
        expect(page.body.total).to.equal(3);
        seen.push(...page.body.items.map((u) => String(u.clues)));
        cursor = page.body.next;
      } while (cursor);
      expect(seen).to.deep.equal([CHIS_1, OAX_1, OAX_2]);
    });

    const filters: [string, string[]][] = [
      ['state=20', [OAX_1, OAX_2]],
      ['warehouse=ALM-07', [CHIS_1]],
      ['q=tlahuitoltepec', [OAX_1]],
      ['q=GUTIERREZ', [CHIS_1]],
      ['bbox=-97,16.5,-96.5,17.5', [OAX_2]],
      ['level=1&type=centro%20de%20salud&active=true', [CHIS_1, OAX_1, OAX_2]],
      ['municipality=Oaxaca%20de%20Ju%C3%A1rez', [OAX_2]],
    ];
    for (const [query, expected] of filters) {
      it(`filters units by ${query}`, async () => {
        const response = await request<Page>(service.url, `/api/v1/units?${query}`, { token: admin });
        expect(response.status).to.equal(200);
        expect(response.body.items.map((u) => u.clues)).to.deep.equal(expected);
      });
    }

    it('limits a state-scoped planner to its state when listing', async () => {
      const response = await request<Page>(service.url, '/api/v1/units', { token: planner20 });
      expect(response.body.items.map((u) => u.clues)).to.deep.equal([OAX_1, OAX_2]);
    });

    it('rejects a malformed bbox, a limit above 500 and a forged cursor with 400', async () => {
      for (const query of ['bbox=1,2,3', 'limit=501', 'cursor=abc']) {
        const response = await request<Problem>(service.url, `/api/v1/units?${query}`, { token: admin });
        expect(response.status, query).to.equal(400);
      }
    });

    it('registers a unit missing from the catalogue as manual, placed at its municipality without coordinates', async () => {
      const response = await request<Record<string, unknown>>(service.url, '/api/v1/units', {
        method: 'POST',
        token: planner20,
        json: { name: 'Casa de Salud San Juan', state: { code: '20' }, municipality: { name: 'San Juan Mixtepec' }, type: 'casa de salud', sizeClass: 'nb-1' },
      });
      expect(response.status).to.equal(201);
      expect(response.body).to.include({ source: 'manual', locationPrecision: 'municipality', active: true });
      expect(response.body.state).to.deep.equal({ code: '20', name: 'Oaxaca' });
      expect(String(response.body.clues)).to.match(/^PROV20[0-9A-F]{8}$/);
      expect(response.headers.get('location')).to.equal(`/api/v1/units/${String(response.body.clues)}`);
    });

    it('refuses coordinates outside Mexico, a duplicate CLUES and an unknown state', async () => {
      const base = { clues: 'OCSSA999999', name: 'X', state: { code: '20' }, municipality: { name: 'X' }, type: 'centro de salud', sizeClass: 'nb-1' };
      const outside = await request<Problem>(service.url, '/api/v1/units', { method: 'POST', token: admin, json: { ...base, location: { type: 'Point', coordinates: [2.35, 48.85] } } });
      expect(outside.status).to.equal(422);
      expect(outside.body.errors?.[0].pointer).to.equal('/body/location/coordinates');
      const duplicate = await request<Problem>(service.url, '/api/v1/units', { method: 'POST', token: admin, json: { ...base, clues: OAX_1 } });
      expect(duplicate.status).to.equal(409);
      const unknownState = await request<Problem>(service.url, '/api/v1/units', { method: 'POST', token: admin, json: { ...base, state: { code: '99' } } });
      expect(unknownState.status).to.equal(422);
    });

    it('merges nested access on PATCH and deactivates with DELETE', async () => {
      const patched = await request<Record<string, Record<string, unknown>>>(service.url, `/api/v1/units/${OAX_2}`, {
        method: 'PATCH',
        token: planner,
        json: { access: { fourByFour: true, notes: 'camino de terracería' }, location: { type: 'Point', coordinates: [-96.7, 17.05] } },
      });
      expect(patched.status).to.equal(200);
      expect(patched.body.access).to.include({ fourByFour: true, remote: false, notes: 'camino de terracería' });
      const deleted = await request<Record<string, unknown>>(service.url, `/api/v1/units/${OAX_2}`, { method: 'DELETE', token: planner });
      expect(deleted.body.active).to.equal(false);
      const inactive = await request<Page>(service.url, '/api/v1/units?active=false', { token: planner });
      expect(inactive.body.items.map((u) => u.clues)).to.include(OAX_2);
    });

    it('answers 404 for an unknown unit', async () => {
      expect((await request(service.url, '/api/v1/units/NOPE0000000', { token: admin })).status).to.equal(404);
    });
  });

  describe('lots', () => {
    const expiry = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

    it('adds receipts to a lot, refuses a different expiry and an expired lot', async () => {
      const body = { itemCode: ITEMS[0], lotNumber: 'A-100', expiry: expiry(200), quantity: 30 };
      const first = await request<Record<string, unknown>>(service.url, '/api/v1/warehouses/ALM-20/lots', { method: 'POST', token: warehouse, json: body });
      expect(first.status).to.equal(201);
      const second = await request<Record<string, unknown>>(service.url, '/api/v1/warehouses/ALM-20/lots', { method: 'POST', token: warehouse, json: { ...body, quantity: 20 } });
      expect(second.body).to.include({ quantity: 50, expiry: expiry(200) });
      const otherExpiry = await request(service.url, '/api/v1/warehouses/ALM-20/lots', { method: 'POST', token: warehouse, json: { ...body, expiry: expiry(100) } });
      expect(otherExpiry.status).to.equal(409);
      const expired = await request<Problem>(service.url, '/api/v1/warehouses/ALM-20/lots', { method: 'POST', token: warehouse, json: { ...body, lotNumber: 'OLD', expiry: '2020-01-01' } });
      expect(expired.status).to.equal(422);
      const unknownItem = await request<Problem>(service.url, '/api/v1/warehouses/ALM-20/lots', { method: 'POST', token: warehouse, json: { ...body, itemCode: 'NOPE' } });
      expect(unknownItem.body.errors?.[0].pointer).to.equal('/body/itemCode');
    });

    it('never lets concurrent adjustments drive a lot negative', async () => {
      await request(service.url, '/api/v1/warehouses/ALM-20/lots', { method: 'POST', token: warehouse, json: { itemCode: ITEMS[1], lotNumber: 'B-1', expiry: expiry(300), quantity: 10 } });
      const results = await Promise.all(
        Array.from({ length: 25 }, () =>
          request(service.url, '/api/v1/warehouses/ALM-20/lots/adjustments', { method: 'POST', token: warehouse, json: { itemCode: ITEMS[1], lotNumber: 'B-1', delta: -1, reason: 'merma' } }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).to.have.length(10);
      expect(results.filter((r) => r.status === 409)).to.have.length(15);
      const lots = await request<Page>(service.url, `/api/v1/warehouses/ALM-20/lots?item=${ITEMS[1]}&includeEmpty=true`, { token: warehouse });
      expect(lots.body.items[0]).to.include({ quantity: 0 });
      const movements = await request<{ items: Record<string, unknown>[] }>(service.url, `/api/v1/warehouses/ALM-20/lots/movements?item=${ITEMS[1]}`, { token: warehouse });
      expect(movements.body.items).to.have.length(11);
      expect(movements.body.items.every((m) => Number(m.quantityAfter) >= 0)).to.equal(true);
    });

    it('shows stock by item with lots first-expiry first', async () => {
      await request(service.url, '/api/v1/warehouses/ALM-20/lots', { method: 'POST', token: warehouse, json: { itemCode: ITEMS[0], lotNumber: 'A-050', expiry: expiry(50), quantity: 5 } });
      const stock = await request<{ items: Record<string, unknown>[] }>(service.url, `/api/v1/warehouses/ALM-20/stock?item=${ITEMS[0]}`, { token: planner });
      expect(stock.status).to.equal(200);
      expect(stock.body.items[0]).to.include({ itemCode: ITEMS[0], quantity: 55, available: 55, earliestExpiry: expiry(50) });
      expect((stock.body.items[0].lots as { lotNumber: string }[]).map((l) => l.lotNumber)).to.deep.equal(['A-050', 'A-100']);
    });
  });

  describe('tokens and audit', () => {
    it('creates a token through the API, shows it once and revokes it', async () => {
      const created = await request<Record<string, string>>(service.url, '/api/v1/tokens', { method: 'POST', token: admin, json: { role: 'warehouse', state: '07', name: 'Chiapas' } });
      expect(created.status).to.equal(201);
      expect(created.headers.get('cache-control')).to.equal('no-store');
      expect((await request(service.url, '/api/v1/warehouses', { token: created.body.token })).status).to.equal(200);
      const list = await request<Page>(service.url, '/api/v1/tokens', { token: admin });
      expect(list.text).not.to.include(created.body.token);
      expect(list.text).not.to.include('secretHash');
      expect((await request(service.url, `/api/v1/tokens/${created.body.id}`, { method: 'DELETE', token: admin })).status).to.equal(200);
      const revoked = await request<Problem>(service.url, '/api/v1/warehouses', { token: created.body.token });
      expect(revoked.status).to.equal(401);
      expect(revoked.headers.get('www-authenticate')).to.match(/^Bearer/);
    });

    it('records every write with who, what and outcome, and filters the log', async () => {
      const key = randomUUID();
      const posted = await request<Record<string, string>>(service.url, `/api/v1/units/${OAX_1}/stock-reports`, {
        method: 'POST',
        token: unit,
        headers: { 'idempotency-key': key },
        json: { period: periods().previous, lines: [{ code: ITEMS[0], soh: 3, consumed: 4, received: 0, stockoutDays: 0 }] },
      });
      expect(posted.status).to.equal(201);
      await request(service.url, '/api/v1/warehouses/ALM-20', { method: 'PATCH', token: warehouse, json: { dockServiceTimeMin: 40 } });
      const read = () => request<Page>(service.url, `/api/v1/audit?resourceId=${encodeURIComponent(posted.body.id)}`, { token: admin });
      const entries = await poll(read, (r) => r.body.items.length > 0);
      expect(entries.body.items[0]).to.include({ method: 'POST', status: 201, role: 'unit', unitClues: OAX_1, operationId: 'createStockReport', path: `/api/v1/units/${OAX_1}/stock-reports` });
      expect(entries.body.items[0].tokenId).to.be.a('string');
      const denied = await poll(
        () => request<Page>(service.url, '/api/v1/audit?status=403&path=/api/v1/warehouses/ALM-20', { token: admin }),
        (r) => r.body.items.length > 0,
      );
      expect(denied.body.items[0]).to.include({ method: 'PATCH', role: 'warehouse', tokenName: 'almacenista' });
      const reads = await request<Page>(service.url, '/api/v1/audit?method=PATCH&limit=1', { token: admin });
      expect(reads.body.items).to.have.length(1);
      if (reads.body.total > 1) {
        const next = await request<Page>(service.url, `/api/v1/audit?method=PATCH&limit=1&cursor=${reads.body.next ?? ''}`, { token: admin });
        expect(next.body.items[0].id).not.to.equal(reads.body.items[0].id);
      }
    });
  });
});
