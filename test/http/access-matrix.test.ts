import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTestToken, request, startTestService } from '../support/service.ts';
import { CHIS_1, ITEMS, OAX_1, OAX_2, periods, seedNetwork } from './fixtures.ts';

type Service = Awaited<ReturnType<typeof startTestService>>;

/** Who calls: roles, a state-scoped planner (Oaxaca 20) and warehouse (Chiapas 07), the unit OAX_1. */
const CALLERS = ['admin', 'planner', 'planner20', 'warehouse', 'warehouse07', 'national', 'unit'] as const;
type Caller = (typeof CALLERS)[number];
const STAFF: Caller[] = ['admin', 'planner', 'planner20', 'warehouse', 'warehouse07', 'national'];

interface Case {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path, or a setup creating what the request needs and returning its path. */
  path: string | ((service: Service) => Promise<string>);
  body?: () => unknown;
  idempotent?: boolean;
  allowed: Caller[];
  why?: string;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${String(++counter).padStart(4, '0')}${randomUUID().slice(0, 4).toUpperCase()}`;
const futureDate = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
const newUnit = (state: string) => () => ({ clues: unique('TEST'), name: 'Unidad nueva', state: { code: state }, municipality: { name: 'Oaxaca de Juárez' }, type: 'centro de salud', sizeClass: 'nb-1' });
const freshUnit = (state: string) => async (service: Service) => {
  const clues = unique('FRSH');
  await service.repositories.units.create({ clues, name: 'x', state: { code: state, name: 'x' }, municipality: { name: 'x' }, type: 'centro de salud', sizeClass: 'nb-1' });
  return `/api/v1/units/${clues}`;
};
const report = () => ({ period: periods().previous, lines: [{ code: ITEMS[0], soh: 5, consumed: 10, received: 0, stockoutDays: 0 }] });

const CASES: Case[] = [
  { method: 'GET', path: '/api/v1/units', allowed: STAFF },
  { method: 'GET', path: '/api/v1/units?state=07', allowed: ['admin', 'planner', 'warehouse', 'warehouse07', 'national'], why: 'a state token cannot list another state' },
  { method: 'GET', path: `/api/v1/units/${OAX_1}`, allowed: ['admin', 'planner', 'planner20', 'warehouse', 'national', 'unit'] },
  { method: 'GET', path: `/api/v1/units/${CHIS_1}`, allowed: ['admin', 'planner', 'warehouse', 'warehouse07', 'national'], why: 'the unit token reads only its unit' },
  { method: 'POST', path: '/api/v1/units', body: newUnit('20'), allowed: ['admin', 'planner', 'planner20'] },
  { method: 'POST', path: '/api/v1/units', body: newUnit('07'), allowed: ['admin', 'planner'] },
  { method: 'PATCH', path: `/api/v1/units/${OAX_2}`, body: () => ({ serviceTimeMin: 25 }), allowed: ['admin', 'planner', 'planner20'] },
  { method: 'PATCH', path: `/api/v1/units/${CHIS_1}`, body: () => ({ serviceTimeMin: 25 }), allowed: ['admin', 'planner'] },
  { method: 'DELETE', path: freshUnit('20'), allowed: ['admin', 'planner', 'planner20'] },
  { method: 'GET', path: `/api/v1/units/${OAX_1}/stock`, allowed: ['admin', 'planner', 'planner20', 'national', 'unit'] },
  { method: 'GET', path: `/api/v1/units/${CHIS_1}/stock`, allowed: ['admin', 'planner', 'national'] },
  { method: 'GET', path: `/api/v1/units/${OAX_1}/stock-reports`, allowed: ['admin', 'planner', 'planner20', 'national', 'unit'] },
  { method: 'POST', path: `/api/v1/units/${OAX_1}/stock-reports`, body: report, idempotent: true, allowed: ['admin', 'unit'] },
  { method: 'POST', path: `/api/v1/units/${CHIS_1}/stock-reports`, body: report, idempotent: true, allowed: ['admin'], why: 'a unit token cannot report for another unit' },
  { method: 'GET', path: '/api/v1/warehouses', allowed: STAFF },
  { method: 'GET', path: '/api/v1/warehouses/ALM-20', allowed: STAFF },
  {
    method: 'POST',
    path: '/api/v1/warehouses',
    body: () => ({ id: unique('W'), name: 'Almacén', kind: 'state-warehouse', state: { code: '20' }, location: { type: 'Point', coordinates: [-96.7, 17.0] } }),
    allowed: ['admin'],
  },
  { method: 'PATCH', path: '/api/v1/warehouses/ALM-20', body: () => ({ dockServiceTimeMin: 35 }), allowed: ['admin'] },
  { method: 'GET', path: '/api/v1/warehouses/ALM-20/lots', allowed: STAFF },
  { method: 'GET', path: '/api/v1/warehouses/ALM-20/stock', allowed: STAFF },
  { method: 'GET', path: '/api/v1/warehouses/ALM-20/lots/movements', allowed: STAFF },
  { method: 'POST', path: '/api/v1/warehouses/ALM-20/lots', body: () => ({ itemCode: ITEMS[0], lotNumber: 'L-1', expiry: futureDate(), quantity: 10 }), allowed: ['admin', 'warehouse'] },
  { method: 'POST', path: '/api/v1/warehouses/ALM-07/lots', body: () => ({ itemCode: ITEMS[0], lotNumber: 'L-7', expiry: futureDate(), quantity: 10 }), allowed: ['admin', 'warehouse', 'warehouse07'] },
  { method: 'POST', path: '/api/v1/warehouses/ALM-20/lots/adjustments', body: () => ({ itemCode: ITEMS[0], lotNumber: 'L-1', delta: 1, reason: 'count' }), allowed: ['admin', 'warehouse'] },
  { method: 'GET', path: '/api/v1/vehicles', allowed: STAFF },
  { method: 'GET', path: '/api/v1/vehicles/ALM-20-T01', allowed: STAFF },
  { method: 'POST', path: '/api/v1/vehicles', body: () => ({ id: unique('V'), type: '1.5t-van', capacity: { kg: 1500, m3: 9 }, homeWarehouseId: 'ALM-20' }), allowed: ['admin', 'planner', 'planner20'] },
  { method: 'PATCH', path: '/api/v1/vehicles/ALM-07-T01', body: () => ({ costPerKm: 9 }), allowed: ['admin', 'planner'] },
  { method: 'GET', path: '/api/v1/items', allowed: [...STAFF, 'unit'], why: 'units read the catalogue to report' },
  { method: 'GET', path: `/api/v1/items/${ITEMS[0]}`, allowed: [...STAFF, 'unit'] },
  { method: 'POST', path: '/api/v1/items', body: () => ({ code: unique('I'), name: 'Nuevo', category: 'supply' }), allowed: ['admin'] },
  { method: 'PATCH', path: `/api/v1/items/${ITEMS[2]}`, body: () => ({ packSize: 2 }), allowed: ['admin'] },
  { method: 'GET', path: '/api/v1/kit-templates', allowed: STAFF },
  { method: 'GET', path: '/api/v1/kit-templates/nb-1', allowed: STAFF },
  { method: 'POST', path: '/api/v1/kit-templates', body: () => ({ sizeClass: unique('k'), lines: [{ code: ITEMS[0], quantity: 5 }] }), allowed: ['admin', 'planner', 'planner20'] },
  {
    method: 'DELETE',
    path: async (service) => {
      const sizeClass = unique('k');
      await service.repositories.kitTemplates.create({ sizeClass, lines: [] });
      return `/api/v1/kit-templates/${sizeClass}`;
    },
    allowed: ['admin', 'planner', 'planner20'],
  },
  { method: 'GET', path: '/api/v1/me', allowed: [...STAFF, 'unit'], why: 'every token may read itself' },
  { method: 'GET', path: '/api/v1/tokens', allowed: ['admin'] },
  { method: 'POST', path: '/api/v1/tokens', body: () => ({ role: 'national' }), allowed: ['admin'] },
  {
    method: 'DELETE',
    path: async (service) => `/api/v1/tokens/${(await service.services.tokens.create({ role: 'national' })).info.id}`,
    allowed: ['admin'],
  },
  { method: 'GET', path: '/api/v1/audit', allowed: ['admin'] },
];

describe('role × endpoint access matrix', () => {
  let service: Service;
  const tokens = {} as Record<Caller, string>;

  before(async () => {
    service = await startTestService();
    await seedNetwork(service);
    tokens.admin = await createTestToken(service, 'admin');
    tokens.planner = await createTestToken(service, 'planner');
    tokens.planner20 = await createTestToken(service, 'planner', { state: '20' });
    tokens.warehouse = await createTestToken(service, 'warehouse');
    tokens.warehouse07 = await createTestToken(service, 'warehouse', { state: '07' });
    tokens.national = await createTestToken(service, 'national');
    tokens.unit = await createTestToken(service, 'unit', { unitClues: OAX_1 });
  });
  after(async () => {
    await service.close();
  });

  for (const testCase of CASES) {
    const label = typeof testCase.path === 'string' ? testCase.path : `${testCase.method === 'DELETE' ? 'a fresh resource' : 'a prepared path'}`;
    it(`${testCase.method} ${label}: ${testCase.allowed.join(', ')} allowed; others 403; no token 401${testCase.why ? ` (${testCase.why})` : ''}`, async () => {
      const outcomes: string[] = [];
      for (const caller of [...CALLERS, 'anonymous' as const]) {
        const path = typeof testCase.path === 'string' ? testCase.path : await testCase.path(service);
        const headers: Record<string, string> = testCase.idempotent ? { 'idempotency-key': randomUUID() } : {};
        const response = await request(service.url, path, {
          method: testCase.method,
          token: caller === 'anonymous' ? undefined : tokens[caller],
          json: testCase.body?.(),
          headers,
        });
        const expected = caller === 'anonymous' ? '401' : testCase.allowed.includes(caller) ? '2xx' : '403';
        const got = response.status >= 200 && response.status < 300 ? '2xx' : String(response.status);
        if (got !== expected) outcomes.push(`${caller}: expected ${expected}, got ${response.status} ${response.text.slice(0, 200)}`);
      }
      expect(outcomes).to.deep.equal([]);
    });
  }

  it('never lets the national role change anything', () => {
    for (const testCase of CASES.filter((c) => c.method !== 'GET')) expect(testCase.allowed).not.to.include('national');
  });
});
