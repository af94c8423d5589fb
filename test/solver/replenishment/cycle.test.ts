import { expect } from 'chai';
import { planReplenishmentCycle, type ReplenishmentCycleInput } from '../../../solver/replenishment/cycle.ts';
import { parseKitItemsCsv } from '../../../solver/replenishment/kit.ts';

const items = parseKitItemsCsv(
  ['code,name,presentation,category,cold_chain,controlled', 'A,Paracetamol,ENVASE CON 10,medicine,false,false', 'I,Insulina,ENVASE CON 1,medicine,true,false'].join('\n'),
);

function input(): ReplenishmentCycleInput {
  return {
    items,
    template: { small: { A: 30, I: 3 }, large: { A: 60, I: 6 } },
    logistics: [
      { code: 'A', weightKgPerPiece: 0.01, volumeM3PerPiece: 0.0001 },
      { code: 'I', weightKgPerPiece: 0.05, volumeM3PerPiece: 0.001 },
    ],
    coldBoxCapacityM3: 0.002,
    available: { A: 50, I: 10 },
    policy: { coverageDays: 30, safetyDays: 0, daysUntilNextDelivery: 0, emergencyDays: 7 },
    units: [
      { id: 'U1', sizeClass: 'small', lines: [] },
      {
        id: 'U2',
        sizeClass: 'large',
        lines: [
          { code: 'A', stockOnHand: 20, reports: [{ totalConsumedQuantity: 60, totalStockoutDays: 10 }] },
          { code: 'I', stockOnHand: 6 },
        ],
      },
    ],
  };
}

describe('replenishment / planReplenishmentCycle', () => {
  for (const method of ['highs', 'water-filling'] as const) {
    it(`plans indicators, requests, rationing and kits end to end (${method})`, async () => {
      const result = await planReplenishmentCycle(input(), { method });
      const summary = result.lines.map((l) => [l.unitId, l.code, l.indicators.source, l.indicators.averageMonthlyConsumption, l.reorder.requestedQuantity, l.allocatedQuantity]);
      expect(summary).to.deep.equal([
        ['U1', 'A', 'template', 30, 30, 18],
        ['U1', 'I', 'template', 3, 3, 3],
        ['U2', 'A', 'reports', 90, 70, 32], // N = ceil(60 × 30 / 20) = 90; S = 90 − 20 on hand
        ['U2', 'I', 'template', 6, 0, 0],
      ]);
      // A is short (100 requested, 50 available): level 4t − 20 = 50 → t = 17.5 → 17.5 / 32.5,
      // floors 17 + 32 and the leftover piece to U1 (17 days < 17.33 days)
      const [a, i] = result.rationing;
      expect(a).to.include({ code: 'A', requested: 100, allocated: 50, shortfall: 50, unitsShort: 2 });
      expect(a.minCoverageDays).to.be.closeTo(52 / 3, 1e-9);
      expect(i).to.include({ code: 'I', requested: 3, allocated: 3, shortfall: 0, unitsShort: 0, minCoverageDays: 30, lpSolves: 0 });
      expect(result.kits.map((k) => [k.unitId, k.totals.medicinePieces, k.totals.coldBoxes])).to.deep.equal([
        ['U1', 21, 2], // 3 insulin × 0.001 m³ = 0.003 m³ → 2 boxes of 0.002 m³
        ['U2', 32, 0],
      ]);
      expect(result.emergencies.map((e) => `${e.unitId}/${e.code}`)).to.deep.equal(['U1/A', 'U1/I', 'U2/A']);
    });
  }

  it('counts the use expected before a late delivery', async () => {
    const late = { ...input(), available: { A: 1000, I: 10 } };
    const units = [{ ...late.units[0], daysUntilNextDelivery: 10, lines: [{ code: 'A', stockOnHand: 15 }] }];
    const result = await planReplenishmentCycle({ ...late, units }, { method: 'water-filling' });
    // U1, A: 1/day × (30 + 10) − 15 on hand = 25 requested; 10 used before delivery → 5 + 25 = 30 days
    expect(result.lines[0].reorder.requestedQuantity).to.equal(25);
    expect(result.lines[0].coverageDaysAtDelivery).to.equal(30);
  });

  it('names the field on bad input', async () => {
    const bad = input();
    await planReplenishmentCycle({ ...bad, available: { A: 1 } }).then(
      () => expect.fail('should throw'),
      (error: Error) => expect(error.message).to.equal('available.I: is required for every catalogue item'),
    );
    await planReplenishmentCycle({ ...bad, units: [{ id: 'U9', sizeClass: 'huge', lines: [] }] }).then(
      () => expect.fail('should throw'),
      (error: Error) => expect(error.message).to.equal('units[0].sizeClass: no kit template for size class "huge"'),
    );
  });
});
