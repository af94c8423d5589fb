import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ACTIONS, authorize, authorizeState, authorizeUnit, can, permissionsOf, PERMISSIONS, ROLES, scopedState, type Principal } from '../../src/services/auth.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const principal = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({ tokenId: 't', name: role, role, ...extra });
const statusOf = (fn: () => void): number => {
  try {
    fn();
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
};

describe('access policy', () => {
  it('has a permission row for every role', () => {
    expect(Object.keys(PERMISSIONS).sort()).to.deep.equal([...ROLES].sort());
  });

  it('catalogues every action the service code checks', () => {
    // Action names appear as string literals ('plans:write') in the services and routers.
    const sources = ['src/services', 'src/http'].flatMap((dir) =>
      readdirSync(join(projectRoot, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => readFileSync(join(projectRoot, dir, file), 'utf8')),
    );
    const checked = new Set(sources.flatMap((text) => [...text.matchAll(/'([a-z-]+:(?:read|write))'/g)].map((m) => m[1])));
    expect([...checked].filter((action) => !(ACTIONS as readonly string[]).includes(action))).to.deep.equal([]);
    expect(checked.size).to.be.greaterThan(20);
  });

  it('expands the wildcards of the table into the actions each role may perform', () => {
    expect(permissionsOf('admin')).to.have.length(ACTIONS.length - 4);
    expect(permissionsOf('admin')).to.include.members(['tokens:write', 'audit:read', 'items:write']);
    expect(permissionsOf('national').every((action) => action.endsWith(':read'))).to.equal(true);
    expect(permissionsOf('national')).to.not.include('tokens:read');
    expect(permissionsOf('national')).to.not.include('audit:read');
    expect(permissionsOf('warehouse')).to.deep.equal([...PERMISSIONS.warehouse].sort((a, b) => ACTIONS.indexOf(a) - ACTIONS.indexOf(b)));
    expect(permissionsOf('unit')).to.deep.equal(['items:read', 'own-unit:read', 'own-stock:read', 'own-stock-reports:read', 'own-stock-reports:write']);
    for (const role of ROLES) for (const action of permissionsOf(role)) expect(can({ role }, action), `${role} ${action}`).to.equal(true);
  });

  it('lets admins do everything, including tokens and the audit log', () => {
    for (const action of ['units:write', 'tokens:write', 'audit:read', 'anything:else']) expect(can({ role: 'admin' }, action)).to.equal(true);
  });

  it('lets the national role read everything but tokens and audit, and change nothing', () => {
    expect(can({ role: 'national' }, 'units:read')).to.equal(true);
    expect(can({ role: 'national' }, 'plans:read')).to.equal(true);
    for (const action of ['units:write', 'lots:write', 'stock-reports:write', 'plans:write', 'tokens:read', 'audit:read']) {
      expect(can({ role: 'national' }, action), action).to.equal(false);
    }
  });

  it('gives planners and warehouse staff their own writes only', () => {
    expect(can({ role: 'planner' }, 'units:write')).to.equal(true);
    expect(can({ role: 'planner' }, 'lots:write')).to.equal(false);
    expect(can({ role: 'warehouse' }, 'lots:write')).to.equal(true);
    expect(can({ role: 'warehouse' }, 'units:write')).to.equal(false);
    expect(can({ role: 'warehouse' }, 'stock:read')).to.equal(false);
  });

  it('confines a unit token to its own unit', () => {
    const unit = principal('unit', { unitClues: 'A' });
    expect(statusOf(() => authorizeUnit(unit, { clues: 'A' }, 'stock:read', 'own-stock:read'))).to.equal(200);
    expect(statusOf(() => authorizeUnit(unit, { clues: 'B' }, 'stock:read', 'own-stock:read'))).to.equal(403);
    expect(statusOf(() => authorizeUnit(unit, { clues: 'A' }, 'units:write'))).to.equal(403);
    expect(statusOf(() => authorize(unit, 'warehouses:read'))).to.equal(403);
    expect(statusOf(() => authorize(unit, 'items:read'))).to.equal(200);
  });

  it('confines a state-scoped token to its state', () => {
    const planner20 = principal('planner', { state: '20' });
    expect(statusOf(() => authorizeUnit(planner20, { clues: 'A', state: { code: '20' } }, 'units:write'))).to.equal(200);
    expect(statusOf(() => authorizeUnit(planner20, { clues: 'B', state: { code: '07' } }, 'units:read'))).to.equal(403);
    expect(statusOf(() => authorizeState(planner20, '07'))).to.equal(403);
    expect(scopedState(planner20, undefined)).to.equal('20');
    expect(statusOf(() => scopedState(planner20, '07'))).to.equal(403);
    expect(scopedState(principal('planner'), '07')).to.equal('07');
  });
});
