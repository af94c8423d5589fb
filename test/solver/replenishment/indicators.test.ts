import { expect } from 'chai';
import { ReplenishmentError } from '../../../solver/replenishment/errors.ts';
import {
  adjustedConsumption,
  averageMonthlyConsumption,
  computeIndicators,
  monthsOfStock,
  stockoutRisk,
} from '../../../solver/replenishment/indicators.ts';
import { reorderQuantity } from '../../../solver/replenishment/reorder.ts';

describe('replenishment / indicators', () => {
  describe('adjustedConsumption (OpenLMIS N = ceil(C × D / (D − X)))', () => {
    it('extrapolates consumption over the stockout days', () => {
      expect(adjustedConsumption(100, 10)).to.equal(150); // 100 × 30 / 20
      expect(adjustedConsumption(90, 7)).to.equal(118); // 117.39 rounded UP
    });

    it('is C without stockout days, 0 without consumption, C when out of stock all period', () => {
      expect(adjustedConsumption(100, 0)).to.equal(100);
      expect(adjustedConsumption(0, 10)).to.equal(0);
      expect(adjustedConsumption(40, 30)).to.equal(40);
    });

    it('uses the period length when it is not one month', () => {
      expect(adjustedConsumption(120, 15, 60)).to.equal(160); // 120 × 60 / 45
    });

    it('rejects more stockout days than the period has', () => {
      expect(() => adjustedConsumption(10, 31)).to.throw(ReplenishmentError, /totalStockoutDays: must be ≤ periodDays/);
    });
  });

  describe('averageMonthlyConsumption', () => {
    it('averages the adjusted consumption of the last 3 periods, rounded up', () => {
      const periods = [
        { totalConsumedQuantity: 500, totalStockoutDays: 0 }, // older than 3 periods: ignored
        { totalConsumedQuantity: 100, totalStockoutDays: 10 }, // N = 150
        { totalConsumedQuantity: 100, totalStockoutDays: 0 }, // N = 100
        { totalConsumedQuantity: 90, totalStockoutDays: 7 }, // N = 118
      ];
      expect(averageMonthlyConsumption(periods)).to.equal(123); // 368 / 3 = 122.67
    });

    it('uses fewer periods when fewer exist', () => {
      expect(averageMonthlyConsumption([{ totalConsumedQuantity: 101, totalStockoutDays: 0 }, { totalConsumedQuantity: 100, totalStockoutDays: 0 }])).to.equal(101);
      expect(averageMonthlyConsumption([{ totalConsumedQuantity: 7, totalStockoutDays: 0 }])).to.equal(7);
      expect(averageMonthlyConsumption([])).to.equal(undefined);
    });

    it('weights periods by their length in months', () => {
      const periods = [
        { totalConsumedQuantity: 120, totalStockoutDays: 15, periodDays: 60 }, // N = 160 over 2 months
        { totalConsumedQuantity: 100, totalStockoutDays: 0 }, // N = 100 over 1 month
      ];
      expect(averageMonthlyConsumption(periods)).to.equal(87); // 260 / 3 = 86.67
    });
  });

  describe('monthsOfStock and stockoutRisk', () => {
    it('divides stock on hand by AMC, undefined without consumption', () => {
      expect(monthsOfStock(60, 40)).to.equal(1.5);
      expect(monthsOfStock(10, 0)).to.equal(undefined);
    });

    it('classifies with the documented thresholds (0.25, 1 and 2 months)', () => {
      expect(stockoutRisk(0, 40)).to.equal('stocked_out');
      expect(stockoutRisk(5, 40)).to.equal('high'); // 0.125 months
      expect(stockoutRisk(10, 40)).to.equal('medium'); // exactly the emergency point
      expect(stockoutRisk(39, 40)).to.equal('medium');
      expect(stockoutRisk(40, 40)).to.equal('low');
      expect(stockoutRisk(80, 40)).to.equal('low'); // exactly max periods of stock
      expect(stockoutRisk(81, 40)).to.equal('overstocked');
      expect(stockoutRisk(5, 0)).to.equal('no_demand');
      expect(stockoutRisk(0, 0)).to.equal('no_demand');
    });
  });

  describe('computeIndicators', () => {
    it('falls back to the kit template (size class, 30 days) without reports', () => {
      const result = computeIndicators({ templateQuantity: 45, stockOnHand: 30 });
      expect(result).to.deep.include({ source: 'template', averageMonthlyConsumption: 45, dailyUse: 1.5, stockoutRisk: 'medium' });
      expect(result.monthsOfStock).to.be.closeTo(0.6667, 1e-4);
    });

    it('uses the reports when there are some', () => {
      const result = computeIndicators({
        templateQuantity: 45,
        stockOnHand: 0,
        reports: [{ totalConsumedQuantity: 40, totalStockoutDays: 15 }],
      });
      expect(result).to.deep.include({ source: 'reports', averageMonthlyConsumption: 80, stockoutRisk: 'stocked_out' });
      expect(result.adjustedConsumptions).to.deep.equal([80]);
    });
  });
});

describe('replenishment / reorder quantities (max-min, order-up-to)', () => {
  const policy = { coverageDays: 30, safetyDays: 7, daysUntilNextDelivery: 5, emergencyDays: 7 };

  it('covers 30 days + safety + days until delivery, minus stock on hand and in transit, UP to packs', () => {
    const line = reorderQuantity({ averageMonthlyConsumption: 60, stockOnHand: 20, stockInTransit: 10, packSize: 20 }, policy);
    expect(line).to.deep.equal({
      dailyUse: 2,
      maxStockQuantity: 84, // 2 × (30 + 7 + 5)
      minStockQuantity: 24, // 2 × (7 + 5)
      emergencyOrderPoint: 14, // 2 × 7
      stockPosition: 30,
      calculatedOrderQuantity: 54,
      requestedPacks: 3, // 54 / 20 = 2.7 → 3
      requestedQuantity: 60,
      belowMin: false,
      emergency: false,
    });
  });

  it('flags an emergency order below the emergency order point', () => {
    const line = reorderQuantity({ averageMonthlyConsumption: 60, stockOnHand: 5 }, { ...policy, daysUntilNextDelivery: 0 });
    expect(line).to.deep.include({ maxStockQuantity: 74, calculatedOrderQuantity: 69, requestedQuantity: 69, belowMin: true, emergency: true });
  });

  it('orders nothing when the unit is overstocked or consumes nothing', () => {
    expect(reorderQuantity({ averageMonthlyConsumption: 60, stockOnHand: 200 }, policy).requestedQuantity).to.equal(0);
    expect(reorderQuantity({ averageMonthlyConsumption: 0, stockOnHand: 0 }, policy)).to.deep.include({ requestedQuantity: 0, emergency: false });
  });

  it('is not fooled by floating-point noise (0.1 per day for 30 days is 3 pieces)', () => {
    const line = reorderQuantity({ averageMonthlyConsumption: 3, stockOnHand: 0 }, { coverageDays: 30, safetyDays: 0, daysUntilNextDelivery: 0, emergencyDays: 0 });
    expect(line.requestedQuantity).to.equal(3);
  });

  it('rejects fractional stock and a zero pack size', () => {
    expect(() => reorderQuantity({ averageMonthlyConsumption: 1, stockOnHand: 1.5 }, policy)).to.throw(/stockOnHand: must be an integer/);
    expect(() => reorderQuantity({ averageMonthlyConsumption: 1, stockOnHand: 1, packSize: 0 }, policy)).to.throw(/packSize: must be > 0/);
  });
});
