import { expect } from 'chai';
import { createTestToken, request, startTestService } from '../support/service.ts';
import { OAX_1, seedNetwork } from './fixtures.ts';

type Service = Awaited<ReturnType<typeof startTestService>>;

interface Me {
  tokenId: string;
  name: string;
  role: string;
  state: string | null;
  unitClues: string | null;
  unitName: string | null;
  permissions: string[];
}

/** Every read a staff role may hold (tokens and audit stay with administrators). */
const STAFF_READS = [
  'units:read',
  'stock:read',
  'stock-reports:read',
  'warehouses:read',
  'lots:read',
  'vehicles:read',
  'items:read',
  'kit-templates:read',
  'rounds:read',
  'plans:read',
  'manifests:read',
  'replenishment:read',
  'deliveries:read',
  'evidence:read',
];

const tokenIdOf = (bearer: string): string => bearer.split('_')[1];

describe('GET /api/v1/me', () => {
  let service: Service;

  before(async () => {
    service = await startTestService();
    await seedNetwork(service);
  });
  after(async () => {
    await service.close();
  });

  const me = (token?: string) => request<Me>(service.url, '/api/v1/me', { token });

  it('describes an admin token with every action, tokens and audit included', async () => {
    const token = await createTestToken(service, 'admin', { name: 'Mesa de control' });
    const response = await me(token);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^application\/json/);
    expect(response.body).to.deep.equal({
      tokenId: tokenIdOf(token),
      name: 'Mesa de control',
      role: 'admin',
      state: null,
      unitClues: null,
      unitName: null,
      permissions: [
        'units:read',
        'units:write',
        'stock:read',
        'stock-reports:read',
        'stock-reports:write',
        'warehouses:read',
        'warehouses:write',
        'lots:read',
        'lots:write',
        'vehicles:read',
        'vehicles:write',
        'items:read',
        'items:write',
        'kit-templates:read',
        'kit-templates:write',
        'rounds:read',
        'rounds:write',
        'plans:read',
        'plans:write',
        'manifests:read',
        'dispatch:write',
        'replenishment:read',
        'replenishment:write',
        'deliveries:read',
        'deliveries:write',
        'evidence:read',
        'evidence:write',
        'tokens:read',
        'tokens:write',
        'audit:read',
      ],
    });
  });

  it('describes a state coordinator (planner limited to Oaxaca) with its state and planning writes', async () => {
    const token = await createTestToken(service, 'planner', { state: '20', name: 'Coordinación Oaxaca' });
    const response = await me(token);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({
      tokenId: tokenIdOf(token),
      name: 'Coordinación Oaxaca',
      role: 'planner',
      state: '20',
      unitClues: null,
      unitName: null,
      permissions: [
        'units:read',
        'units:write',
        'stock:read',
        'stock-reports:read',
        'warehouses:read',
        'lots:read',
        'vehicles:read',
        'vehicles:write',
        'items:read',
        'kit-templates:read',
        'kit-templates:write',
        'rounds:read',
        'rounds:write',
        'plans:read',
        'plans:write',
        'manifests:read',
        'replenishment:read',
        'replenishment:write',
        'deliveries:read',
        'deliveries:write',
        'evidence:read',
        'evidence:write',
      ],
    });
  });

  it('describes a warehouse token with lots, dispatch and deliveries but no unit stock', async () => {
    const token = await createTestToken(service, 'warehouse', { state: '07', name: 'Almacén Chiapas' });
    const response = await me(token);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({
      tokenId: tokenIdOf(token),
      name: 'Almacén Chiapas',
      role: 'warehouse',
      state: '07',
      unitClues: null,
      unitName: null,
      permissions: [
        'units:read',
        'warehouses:read',
        'lots:read',
        'lots:write',
        'vehicles:read',
        'items:read',
        'kit-templates:read',
        'rounds:read',
        'plans:read',
        'manifests:read',
        'dispatch:write',
        'replenishment:read',
        'deliveries:read',
        'deliveries:write',
        'evidence:read',
        'evidence:write',
      ],
    });
  });

  it('describes a unit token with its CLUES, the unit name and its own-unit actions only', async () => {
    const token = await createTestToken(service, 'unit', { unitClues: OAX_1, name: 'CS Tlahuitoltepec' });
    const response = await me(token);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({
      tokenId: tokenIdOf(token),
      name: 'CS Tlahuitoltepec',
      role: 'unit',
      state: null,
      unitClues: OAX_1,
      unitName: 'Centro de Salud Santa María Tlahuitoltepec',
      permissions: ['items:read', 'own-unit:read', 'own-stock:read', 'own-stock-reports:read', 'own-stock-reports:write'],
    });
  });

  it('describes a national token with every staff read and no write', async () => {
    const token = await createTestToken(service, 'national', { name: 'Oficinas centrales' });
    const response = await me(token);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({
      tokenId: tokenIdOf(token),
      name: 'Oficinas centrales',
      role: 'national',
      state: null,
      unitClues: null,
      unitName: null,
      permissions: STAFF_READS,
    });
  });

  it('matches what the API then allows: only a token listing tokens:read may list tokens', async () => {
    for (const role of ['admin', 'planner', 'national'] as const) {
      const token = await createTestToken(service, role);
      const { body } = await me(token);
      const tokens = await request(service.url, '/api/v1/tokens', { token });
      expect(tokens.status, role).to.equal(body.permissions.includes('tokens:read') ? 200 : 403);
    }
  });

  it('answers 401 problem+json without a token', async () => {
    const response = await me();
    expect(response.status).to.equal(401);
    expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).to.equal('Bearer realm="rutas"');
  });

  it('answers 401 to a revoked token', async () => {
    const token = await createTestToken(service, 'planner');
    expect((await me(token)).status).to.equal(200);
    await service.services.tokens.revoke(tokenIdOf(token));
    const response = await me(token);
    expect(response.status).to.equal(401);
    expect((response.body as unknown as { detail: string }).detail).to.equal('The token has been revoked.');
  });

  it('is a read: calling it leaves no audit entry', async () => {
    const admin = await createTestToken(service, 'admin');
    await me(admin);
    const audit = await request<{ items: { path: string }[] }>(service.url, '/api/v1/audit?path=/api/v1/me', { token: admin });
    expect(audit.status).to.equal(200);
    expect(audit.body.items).to.deep.equal([]);
  });
});
