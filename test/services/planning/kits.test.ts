import { expect } from 'chai';
import { composeWarehouseKits } from '../../../src/services/planning/kits.ts';
import type { PlanningLot } from '../../../src/services/planning/types.ts';
import { catalogue, HIDALGO, unitsAround } from './fixtures.ts';

describe('warehouse kits (supply counted as FEFO picks it)', () => {
  const units = unitsAround(HIDALGO, { lng: -98.76, lat: 20.1 }, 2, 'HGSSA').map((u) => ({ ...u, sizeClass: 'small' }));
  const lot = (code: string, lotCode: string, expiryDate: string, available: number): PlanningLot => ({ warehouseId: 'ALM-13', lotCode, code, expiryDate, available });
  const compose = (lots: PlanningLot[], minShelfLifeDays: number) =>
    composeWarehouseKits({ warehouseId: 'ALM-13', units, catalogue, lots, lastDeliveryDate: '2026-12-18', minShelfLifeDays });
  const picked = (kits: Awaited<ReturnType<typeof compose>>['kits'], code: string) =>
    kits.flatMap((kit) => kit.lines.filter((line) => line.code === code)).reduce((sum, line) => sum + line.quantity, 0);

  it('does not count a lot that expires on the last delivery day, even with no minimum shelf life', async () => {
    const { kits, rationing } = await compose([lot('A', 'EXP-DAY', '2026-12-18', 1000), lot('A', 'OK', '2026-12-19', 30), lot('B', 'B1', '2027-06-30', 1000), lot('D', 'D1', '2027-06-30', 1000)], 0);
    // Only the 30 pieces that outlive the delivery day can go out, and they are rationed as such.
    expect(picked(kits, 'A')).to.equal(30);
    expect(kits.flatMap((kit) => kit.lines.flatMap((line) => (line.code === 'A' ? line.lots.map((l) => l.lotCode) : [])))).to.not.include('EXP-DAY');
    expect(rationing.find((r) => r.code === 'A')).to.deep.include({ allocated: 30 });
  });

  it('counts the minimum shelf life from the last delivery day', async () => {
    const lots = [lot('A', 'A1', '2027-01-10', 1000), lot('B', 'B1', '2027-06-30', 1000), lot('D', 'D1', '2027-06-30', 1000)];
    expect(picked((await compose(lots, 20)).kits, 'A')).to.be.greaterThan(0);
    expect(picked((await compose(lots, 30)).kits, 'A')).to.equal(0);
  });
});
