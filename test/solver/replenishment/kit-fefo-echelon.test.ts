import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { planNational, orderUpTo } from '../../../solver/replenishment/echelon.ts';
import { assignLotsFefo, type WarehouseLot } from '../../../solver/replenishment/fefo.ts';
import { composeKit, parseKitItemsCsv } from '../../../solver/replenishment/kit.ts';

const catalogue = parseKitItemsCsv(
  [
    'code,name,presentation,category,cold_chain,controlled',
    'A,Paracetamol tableta,ENVASE CON 10,medicine,false,false',
    'I,Insulina NPH,ENVASE CON 1 AMPULA,medicine,true,false',
    'S,Sertralina,ENVASE CON 14,medicine,false,true',
    'G,Gasa,PAQUETE CON 10,supply,false,false',
  ].join('\n'),
);

describe('replenishment / kit composition', () => {
  it('parses the 147-item catalogue (3 cold-chain, 2 controlled items)', async () => {
    const text = await readFile(new URL('../../fixtures/replenishment/kit-items.csv', import.meta.url), 'utf8');
    const items = parseKitItemsCsv(text);
    expect(items).to.have.length(147);
    expect(items.filter((i) => i.coldChain).map((i) => i.code)).to.deep.equal(['010.000.1050.00', '010.000.1051.01', '010.000.4158.00']);
    expect(items.filter((i) => i.controlled)).to.have.length(2);
  });

  it('rejects a malformed catalogue', () => {
    expect(() => parseKitItemsCsv('code,name\nA,B')).to.throw(/header must be/);
    expect(() => parseKitItemsCsv('code,name,presentation,category,cold_chain,controlled\nA,x,y,medicine,yes,false')).to.throw(/kit-items.csv:2.cold_chain/);
  });

  it('lists every catalogue line with integer quantities and sums pieces, weight, volume and cold boxes', () => {
    const kit = composeKit({
      unitId: 'U1',
      items: catalogue,
      quantities: { A: 40, I: 30 },
      template: { A: 99, S: 6 },
      logistics: [
        { code: 'A', weightKgPerPiece: 0.02, volumeM3PerPiece: 0.0001 },
        { code: 'I', weightKgPerPiece: 0.05, volumeM3PerPiece: 0.001 },
        { code: 'S', weightKgPerPiece: 0.03, volumeM3PerPiece: 0.0002 },
      ],
      coldBoxCapacityM3: 0.02,
    });
    expect(kit.lines.map((l) => [l.code, l.quantity, l.source])).to.deep.equal([
      ['A', 40, 'order'],
      ['I', 30, 'order'],
      ['S', 6, 'template'],
      ['G', 0, 'none'],
    ]);
    const totals = kit.totals;
    expect(totals).to.include({ claves: 3, medicinePieces: 76, supplyPieces: 0, coldChainPieces: 30, coldBoxes: 2, controlledPieces: 6 });
    expect(totals.weightKg).to.be.closeTo(40 * 0.02 + 30 * 0.05 + 6 * 0.03, 1e-9); // 2.48 kg
    expect(totals.volumeM3).to.be.closeTo(0.004 + 0.03 + 0.0012, 1e-12);
    expect(totals.coldChainVolumeM3).to.be.closeTo(0.03, 1e-12); // 1.5 boxes of 0.02 m³ → 2
  });

  it('refuses fractional quantities, unknown codes and missing loading assumptions', () => {
    const base = { unitId: 'U1', items: catalogue, logistics: [{ code: 'A', weightKgPerPiece: 0.02, volumeM3PerPiece: 0.0001 }], coldBoxCapacityM3: 0.02 };
    expect(() => composeKit({ ...base, quantities: { A: 2.5 } })).to.throw(/quantities.A: must be an integer/);
    expect(() => composeKit({ ...base, quantities: { Z: 1 } })).to.throw(/quantities.Z: unknown item code/);
    expect(() => composeKit({ ...base, quantities: { S: 1 } })).to.throw(/logistics.S: missing weight\/volume/);
  });
});

describe('replenishment / FEFO lots', () => {
  const lots: WarehouseLot[] = [
    { lotCode: 'L1', code: 'A', expiryDate: '2027-03-01', quantity: 5 },
    { lotCode: 'L2', code: 'A', expiryDate: '2027-01-15', quantity: 10 },
    { lotCode: 'L3', code: 'A', expiryDate: '2027-06-01', quantity: 100 },
  ];

  it('picks earliest expiry first and fills one line across several lots', () => {
    const result = assignLotsFefo(lots, [{ unitId: 'U1', code: 'A', quantity: 20, deliveryDate: '2026-11-01' }]);
    expect(result.picks.map((p) => [p.lotCode, p.quantity])).to.deep.equal([
      ['L2', 10],
      ['L1', 5],
      ['L3', 5],
    ]);
    expect(result.unfilled).to.deep.equal([]);
    expect(result.remaining.map((r) => r.quantity)).to.deep.equal([0, 0, 95]);
  });

  it('reports "expired" when every lot is expired on the delivery date', () => {
    const expired: WarehouseLot[] = [
      { lotCode: 'E1', code: 'A', expiryDate: '2026-11-01', quantity: 5 },
      { lotCode: 'E2', code: 'A', expiryDate: '2026-12-01', quantity: 10 },
    ];
    const result = assignLotsFefo(expired, [{ unitId: 'U1', code: 'A', quantity: 3, deliveryDate: '2026-12-01' }]);
    expect(result.picks).to.deep.equal([]);
    expect(result.unfilled).to.deep.equal([{ unitId: 'U1', code: 'A', requested: 3, filled: 0, missing: 3, reason: 'expired', blockedQuantity: 15 }]);
  });

  it('accepts a lot with exactly the minimum shelf life and refuses one day less', () => {
    // 2026-12-01 → 2027-01-30 is 60 days; → 2027-01-29 is 59 days
    const exact = assignLotsFefo([{ lotCode: 'X', code: 'A', expiryDate: '2027-01-30', quantity: 4 }], [{ unitId: 'U1', code: 'A', quantity: 4, deliveryDate: '2026-12-01' }]);
    expect(exact.picks).to.have.length(1);
    expect(exact.picks[0].shelfLifeDaysAtDelivery).to.equal(60);
    const short = assignLotsFefo([{ lotCode: 'Y', code: 'A', expiryDate: '2027-01-29', quantity: 4 }], [{ unitId: 'U1', code: 'A', quantity: 4, deliveryDate: '2026-12-01' }]);
    expect(short.picks).to.deep.equal([]);
    expect(short.unfilled[0]).to.include({ reason: 'short_shelf_life', missing: 4, blockedQuantity: 4 });
  });

  it('uses the configured minimum shelf life', () => {
    const result = assignLotsFefo([{ lotCode: 'Y', code: 'A', expiryDate: '2027-01-29', quantity: 4 }], [{ unitId: 'U1', code: 'A', quantity: 4, deliveryDate: '2026-12-01' }], {
      minShelfLifeDays: 30,
    });
    expect(result.picks.map((p) => p.quantity)).to.deep.equal([4]);
  });

  it('skips short-dated lots but still fills from later ones', () => {
    const mixed: WarehouseLot[] = [
      { lotCode: 'S1', code: 'A', expiryDate: '2026-12-20', quantity: 50 },
      { lotCode: 'OK', code: 'A', expiryDate: '2027-12-31', quantity: 50 },
    ];
    const result = assignLotsFefo(mixed, [{ unitId: 'U1', code: 'A', quantity: 10, deliveryDate: '2026-12-01' }]);
    expect(result.picks.map((p) => p.lotCode)).to.deep.equal(['OK']);
    expect(result.unfilled).to.deep.equal([]);
  });

  it('reports "no_stock" for a partial fill once the lots are used up, and marks cold-chain picks', () => {
    const result = assignLotsFefo(
      [{ lotCode: 'C1', code: 'I', expiryDate: '2027-12-31', quantity: 10 }],
      [
        { unitId: 'U1', code: 'I', quantity: 8, deliveryDate: '2026-12-01' },
        { unitId: 'U2', code: 'I', quantity: 8, deliveryDate: '2026-12-02' },
        { unitId: 'U3', code: 'B', quantity: 1, deliveryDate: '2026-12-02' },
      ],
      { coldChainCodes: new Set(['I']) },
    );
    expect(result.picks.map((p) => [p.unitId, p.quantity, p.coldBox])).to.deep.equal([
      ['U1', 8, true],
      ['U2', 2, true],
    ]);
    expect(result.unfilled).to.deep.equal([
      { unitId: 'U2', code: 'I', requested: 8, filled: 2, missing: 6, reason: 'no_stock', blockedQuantity: 0 },
      { unitId: 'U3', code: 'B', requested: 1, filled: 0, missing: 1, reason: 'no_stock', blockedQuantity: 0 },
    ]);
  });

  it('rejects impossible dates and duplicate lots', () => {
    expect(() => assignLotsFefo([{ lotCode: 'X', code: 'A', expiryDate: '2027-02-30', quantity: 1 }], [])).to.throw(/lots\[0\]\.expiryDate: is not a real date/);
    expect(() => assignLotsFefo([lots[0], lots[0]], [])).to.throw(/lots\[1\]\.lotCode: duplicate lot/);
  });
});

describe('replenishment / multi-echelon plan', () => {
  it('computes an order-up-to level with lead time, review period and safety stock', () => {
    const policy = { leadTimeDays: 15, reviewPeriodDays: 30, safetyStockDays: 10 };
    const line = orderUpTo({ code: 'A', servedMonthlyConsumption: 3000, stockOnHand: 2000, stockInTransit: 1000, packSize: 300 }, policy);
    // 100/day × 45 days + 100 × 10 days = 5500; 5500 − 3000 = 2500 → 9 cases of 300
    expect(line).to.deep.include({ dailyDemand: 100, orderUpToLevel: 5500, stockPosition: 3000, calculatedOrderQuantity: 2500, requestedQuantity: 2700 });
  });

  it('uses z × σ × √(L + R) as safety stock when it is larger', () => {
    const policy = { leadTimeDays: 15, reviewPeriodDays: 30, safetyStockDays: 10, serviceLevelZ: 1.65 };
    const small = orderUpTo({ code: 'A', servedMonthlyConsumption: 3000, demandStdDevPerDay: 50, stockOnHand: 0 }, policy);
    expect(small.orderUpToLevel).to.equal(5500); // 1.65 × 50 × √45 = 553 < 1000
    const large = orderUpTo({ code: 'A', servedMonthlyConsumption: 3000, demandStdDevPerDay: 200, stockOnHand: 0 }, policy);
    expect(large.orderUpToLevel).to.equal(6714); // 4500 + 1.65 × 200 × √45 = 6713.7
  });

  it('plans state orders, national procurement and the items at risk', () => {
    const statePolicy = { leadTimeDays: 5, reviewPeriodDays: 30, safetyStockDays: 5 };
    const plan = planNational(
      [
        { warehouseId: 'S1', policy: statePolicy, items: [{ code: 'A', servedMonthlyConsumption: 300, stockOnHand: 100 }, { code: 'B', servedMonthlyConsumption: 60, stockOnHand: 80 }] },
        { warehouseId: 'S2', policy: statePolicy, items: [{ code: 'A', servedMonthlyConsumption: 150, stockOnHand: 0 }, { code: 'B', servedMonthlyConsumption: 30, stockOnHand: 0 }] },
      ],
      {
        policy: { leadTimeDays: 60, reviewPeriodDays: 30, safetyStockDays: 30 },
        items: [
          { code: 'A', stockOnHand: 400 },
          { code: 'B', stockOnHand: 150, supplierFillRate: 0.8 },
          { code: 'C', stockOnHand: 10 },
        ],
      },
    );
    expect(plan.states.map((s) => s.lines.map((l) => l.requestedQuantity))).to.deep.equal([
      [300, 0], // A: 10/day × 40 = 400 − 100; B: 2/day × 40 = 80 − 80
      [200, 40],
    ]);
    const [a, b, c] = plan.items;
    // A: demand 500, ships 400, owes 100; hub S = 15/day × 120 = 1800, position 0 → 1800 + 100
    expect(a).to.deep.include({ stateDemand: 500, shippable: 400, shortfall: 100, hubOrderUpToLevel: 1800, procurementQuantity: 1900, risk: 'short_now' });
    // B: ships 40, 110 left = 36.7 days < 60-day supplier lead time; S = 3 × 120 = 360 → 250; / 0.8 = 312.5 → 313
    expect(b).to.deep.include({ stateDemand: 40, shippable: 40, shortfall: 0, hubOrderUpToLevel: 360, procurementQuantity: 250, procurementQuantityAdjustedForFillRate: 313, risk: 'high' });
    expect(b.coverageDaysAfterShipping).to.be.closeTo(36.67, 0.01);
    expect(c).to.deep.include({ stateDemand: 0, procurementQuantity: 0, risk: 'ok' });
    expect(plan.atRisk.map((i) => i.code)).to.deep.equal(['A', 'B']);
  });

  it('refuses a state order for an item the hub does not carry', () => {
    expect(() =>
      planNational([{ warehouseId: 'S1', policy: { leadTimeDays: 1, reviewPeriodDays: 30, safetyStockDays: 0 }, items: [{ code: 'Z', servedMonthlyConsumption: 30, stockOnHand: 0 }] }], {
        policy: { leadTimeDays: 1, reviewPeriodDays: 30, safetyStockDays: 0 },
        items: [],
      }),
    ).to.throw(/no hub position for item "Z"/);
  });
});
