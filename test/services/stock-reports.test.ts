import { expect } from 'chai';
import { applyReport, currentPeriod, daysInPeriod } from '../../src/services/stock-reports.ts';
import { bodyHash, canonicalJson } from '../../src/services/idempotency.ts';

const line = (code: string, soh: number, consumed: number, stockoutDays = 0) => ({ code, soh, consumed, received: 0, adjustments: 0, stockoutDays });
const at = new Date('2026-03-05T12:00:00Z');

describe('stock report rules', () => {
  it('counts the days of each period, leap years included', () => {
    expect([daysInPeriod('2024-02'), daysInPeriod('2026-02'), daysInPeriod('2026-04'), daysInPeriod('2026-12')]).to.deep.equal([29, 28, 30, 31]);
  });

  it('takes the current period in Mexico City, not UTC', () => {
    // 2026-04-01 03:00 UTC is still 31 March in Mexico City (UTC−6).
    expect(currentPeriod(new Date('2026-04-01T03:00:00Z'))).to.equal('2026-03');
  });

  it('hashes bodies independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).to.equal('{"a":[{"c":3,"d":2}],"b":1}');
    expect(bodyHash({ a: 1, b: 2 })).to.equal(bodyHash({ b: 2, a: 1 }));
    expect(bodyHash({ a: 1 })).not.to.equal(bodyHash({ a: 2 }));
  });

  it('computes the AMC over the last three periods with adjusted consumption (OpenLMIS)', () => {
    let current = applyReport(undefined, { period: '2026-01', reportedAt: at, lines: [line('A', 10, 30)] });
    current = applyReport(current, { period: '2026-02', reportedAt: at, lines: [line('A', 5, 14, 14)] });
    // February: 14 consumed in 28 − 14 = 14 days → adjusted 28.
    expect(current.items.A.amc).to.equal(Math.ceil((30 + 28) / (31 / 30 + 28 / 30)));
    expect(current.items.A).to.include({ soh: 5, period: '2026-02' });
  });

  it('keeps the latest stock on hand when an older period arrives late, and replaces a period reported twice', () => {
    let current = applyReport(undefined, { period: '2026-03', reportedAt: at, lines: [line('A', 7, 30)] });
    current = applyReport(current, { period: '2026-01', reportedAt: at, lines: [line('A', 99, 30)] });
    expect(current.items.A).to.include({ soh: 7, period: '2026-03' });
    expect(current.lastPeriod).to.equal('2026-03');
    current = applyReport(current, { period: '2026-03', reportedAt: at, lines: [line('A', 6, 60)] });
    expect(current.items.A.history.map((h) => h.period)).to.deep.equal(['2026-01', '2026-03']);
    expect(current.items.A.soh).to.equal(6);
  });

  it('keeps at most six periods of history per item', () => {
    let current = applyReport(undefined, { period: '2025-01', reportedAt: at, lines: [line('A', 1, 1)] });
    for (let month = 2; month <= 9; month += 1) {
      current = applyReport(current, { period: `2025-0${month}`, reportedAt: at, lines: [line('A', 1, 1)] });
    }
    expect(current.items.A.history.map((h) => h.period)).to.deep.equal(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09']);
  });
});
