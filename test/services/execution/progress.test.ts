import { expect } from 'chai';
import { computeProgress, type ProgressDelivery } from '../../../src/services/execution/progress.ts';
import { parseRegions } from '../../../src/services/execution/regions.ts';
import type { ExecPlan, ExecStop } from '../../../src/services/execution/types.ts';

const regions = parseRegions('state_code,state,region\n20,Oaxaca,Sureste\n07,Chiapas,Sureste\n09,Ciudad de México,Centro\n');
const OAX = { code: '20', name: 'Oaxaca' };
const CHS = { code: '07', name: 'Chiapas' };
const CDMX = { code: '09', name: 'Ciudad de México' };

function stop(clues: string, state: { code: string; name: string }, pieces: number): ExecStop {
  return { clues, name: `Unidad ${clues}`, state, seq: 1, date: '2026-11-23', medicinePieces: pieces, supplyPieces: 10 };
}

const plan: ExecPlan = {
  id: 'P1',
  roundId: 'R1',
  status: 'dispatched',
  routes: [
    { routeKey: 'W20-1', warehouseId: 'W20', state: OAX, vehicleId: 'v1', startDate: '2026-11-23', stops: [stop('OC1', OAX, 100), stop('OC2', OAX, 200), stop('OC3', OAX, 300)] },
    { routeKey: 'W07-1', warehouseId: 'W07', state: CHS, vehicleId: 'v2', startDate: '2026-11-24', stops: [stop('CS1', CHS, 50)] },
    { routeKey: 'W09-1', warehouseId: 'W09', state: CDMX, vehicleId: 'v3', startDate: '2026-11-24', stops: [stop('DF1', CDMX, 70), stop('DF2', CDMX, 80)] },
  ],
  unassigned: [{ clues: 'OC9', name: 'Lejana', state: OAX, reason: 'unreachable' }],
};

const deliveries: ProgressDelivery[] = [
  { planId: 'P1', clues: 'OC1', delivered: true, piecesDelivered: 110, day: '2026-11-23' },
  { planId: 'P1', clues: 'OC2', delivered: false, reason: 'closed', piecesDelivered: 0, day: '2026-11-23' },
  { planId: 'P1', clues: 'CS1', delivered: true, piecesDelivered: 55, day: '2026-11-24' },
  { planId: 'P1', clues: 'DF1', delivered: false, reason: 'access', piecesDelivered: 0, day: '2026-11-24' },
  // A delivery of another plan never counts here.
  { planId: 'P0', clues: 'DF2', delivered: true, piecesDelivered: 999, day: '2026-11-24' },
];

describe('planned vs delivered progress', () => {
  const progress = computeProgress({ roundId: 'R1', plans: [plan], deliveries, evidenceStops: new Set(['P1|OC1', 'P1|CS1', 'P0|DF2']), regions, now: new Date('2026-11-24T18:00:00Z') });

  it('counts planned, delivered, not delivered, pending and unassigned units per state', () => {
    const oaxaca = progress.byState.find((s) => s.state.code === '20')!;
    expect(oaxaca).to.include({ region: 'Sureste', unitsPlanned: 3, unitsDelivered: 1, unitsNotDelivered: 1, unitsPending: 1, unitsUnassigned: 1, unitsWithEvidence: 1 });
    expect(oaxaca.piecesPlanned).to.equal(110 + 210 + 310);
    expect(oaxaca.piecesDelivered).to.equal(110);
    expect(oaxaca.percentDelivered).to.equal(33.3);
    expect(oaxaca.notDeliveredReasons).to.deep.equal({ closed: 1 });
  });

  it('adds states into their region and the national totals', () => {
    expect(progress.byRegion.map((r) => r.region)).to.deep.equal(['Centro', 'Sureste']);
    const sureste = progress.byRegion.find((r) => r.region === 'Sureste')!;
    expect(sureste).to.include({ unitsPlanned: 4, unitsDelivered: 2, unitsNotDelivered: 1, unitsPending: 1, piecesDelivered: 165, percentDelivered: 50 });
    expect(progress.totals).to.include({ unitsPlanned: 6, unitsDelivered: 2, unitsNotDelivered: 2, unitsPending: 2, unitsUnassigned: 1, unitsWithEvidence: 2, piecesDelivered: 165 });
    expect(progress.totals.notDeliveredReasons).to.deep.equal({ closed: 1, access: 1 });
  });

  it('counts deliveries per day', () => {
    expect(progress.byDay).to.deep.equal([
      { day: '2026-11-23', unitsDelivered: 1, unitsNotDelivered: 1, piecesDelivered: 110 },
      { day: '2026-11-24', unitsDelivered: 1, unitsNotDelivered: 1, piecesDelivered: 55 },
    ]);
  });

  it('shows a state-scoped caller only its state', () => {
    const scoped = computeProgress({ roundId: 'R1', plans: [plan], deliveries, evidenceStops: new Set(), regions, states: ['07'], now: new Date() });
    expect(scoped.byState.map((s) => s.state.code)).to.deep.equal(['07']);
    expect(scoped.totals.unitsPlanned).to.equal(1);
    expect(scoped.byRegion.map((r) => r.region)).to.deep.equal(['Sureste']);
  });

  it('reads the shipped region mapping: 23 states in five regions', async () => {
    const { loadRegions, REGIONS } = await import('../../../src/services/execution/regions.ts');
    const shipped = loadRegions(new URL('../../../data/regions.csv', import.meta.url).pathname);
    expect(shipped.size).to.equal(23);
    expect(new Set(shipped.values())).to.deep.equal(new Set(REGIONS));
    expect(shipped.get('20')).to.equal('Sureste');
    expect(shipped.get('15')).to.equal('Centro');
  });
});
