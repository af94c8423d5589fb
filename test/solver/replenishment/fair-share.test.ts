import { expect } from 'chai';
import lpSolver from 'javascript-lp-solver';
import {
  coverageDays,
  fairShare,
  loadHighsSolver,
  requestedQuantity,
  waterFillingLevel,
  type FairShareClaim,
  type LpTextSolver,
} from '../../../solver/replenishment/fair-share.ts';

/** Deterministic PRNG for the randomised cross-checks (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function claim(dailyUse: number, stockOnHand: number, weight = 1): FairShareClaim {
  return { dailyUse, stockOnHand, weight };
}

/** Fairness metric of one claim: min(H, coverage) / weight. */
function metric(c: FairShareClaim, quantity: number, horizonDays: number): number {
  return Math.min(horizonDays, coverageDays(c.stockOnHand, quantity, c.dailyUse)) / c.weight;
}

function sortedMetrics(claims: readonly FairShareClaim[], quantities: readonly number[], horizonDays: number): number[] {
  return claims.filter((c) => c.dailyUse > 0).map((c) => metric(c, quantities[claims.indexOf(c)], horizonDays)).sort((a, b) => a - b);
}

/** Continuous max-min level of one LP (no caps binding) solved by javascript-lp-solver. */
function jsLpLevel(claims: readonly FairShareClaim[], available: number, horizonDays: number): number {
  const constraints: Record<string, { max?: number; min?: number }> = { supply: { max: available } };
  const variables: Record<string, Record<string, number>> = { t: { t: 1 } };
  claims.forEach((c, i) => {
    const cap = Math.max(0, horizonDays * c.dailyUse - c.stockOnHand);
    constraints[`l${i}`] = { min: -c.stockOnHand };
    constraints[`cap${i}`] = { max: cap };
    variables.t[`l${i}`] = -c.weight * c.dailyUse;
    variables[`q${i}`] = { supply: 1, [`l${i}`]: 1, [`cap${i}`]: 1 };
  });
  // Typed locally: the package's typings do not resolve under the lint's project service.
  const jsLp = lpSolver as unknown as { Solve(model: object): { feasible: boolean; t?: number } };
  const result = jsLp.Solve({ optimize: 't', opType: 'max', constraints, variables });
  expect(result.feasible).to.equal(true);
  return result.t ?? 0;
}

/** Brute force: the lexicographically largest sorted metric vector over all integer allocations. */
function bruteForceBest(claims: readonly FairShareClaim[], available: number, horizonDays: number): number[] {
  const requested = claims.map((c) => requestedQuantity(horizonDays, c.dailyUse, c.stockOnHand));
  let best: number[] | undefined;
  const current = claims.map(() => 0);
  const visit = (i: number, left: number): void => {
    if (i === claims.length) {
      const vector = sortedMetrics(claims, current, horizonDays);
      if (!best || compareLex(vector, best) > 0) best = vector;
      return;
    }
    for (let q = 0; q <= Math.min(requested[i], left); q += 1) {
      current[i] = q;
      visit(i + 1, left - q);
    }
    current[i] = 0;
  };
  visit(0, available);
  return best!;
}

function compareLex(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) {
    if (Math.abs(a[i] - b[i]) > 1e-9) return a[i] - b[i];
  }
  return 0;
}

describe('replenishment / fair share of one item', () => {
  let highs: LpTextSolver;

  before(async () => {
    highs = await loadHighsSolver();
  });

  describe('requestedQuantity', () => {
    it('is ceil(horizon × dailyUse − stockOnHand), 65 for the CLI example', () => {
      expect(requestedQuantity(30, 2.5, 10)).to.equal(65);
      expect(requestedQuantity(30, 1.01, 0)).to.equal(31); // 30.3 → rounded UP
    });

    it('ignores floating-point noise (30 × 0.1 needs 3, not 4)', () => {
      expect(requestedQuantity(30, 0.1, 0)).to.equal(3);
    });

    it('is 0 when stock already covers the horizon or dailyUse is 0', () => {
      expect(requestedQuantity(30, 2, 60)).to.equal(0);
      expect(requestedQuantity(30, 2, 90)).to.equal(0);
      expect(requestedQuantity(30, 0, 0)).to.equal(0);
    });
  });

  describe('waterFillingLevel (closed form)', () => {
    it('finds the level 10 for d = 1, 1, 2 and stock 0, 10, 0 with 30 pieces', () => {
      // need(t) = t + (t − 10) + 2t = 4t − 10 for t ≥ 10; at t = 10 the need is exactly 30
      expect(waterFillingLevel([claim(1, 0), claim(1, 10), claim(2, 0)], 30, 30)).to.be.closeTo(10, 1e-12);
    });

    it('stays at the lowest stock level when nothing is available', () => {
      expect(waterFillingLevel([claim(1, 5), claim(2, 20)], 0, 30)).to.be.closeTo(5, 1e-12);
    });

    it('returns the capped level when supply covers every cap', () => {
      expect(waterFillingLevel([claim(1, 0), claim(1, 0)], 1000, 30)).to.be.closeTo(30, 1e-12);
    });
  });

  describe('fairShare', () => {
    for (const method of ['highs', 'water-filling'] as const) {
      describe(`with method ${method}`, () => {
        const options = () => ({ method, solver: highs });

        it('gives 40 of 65 requested to a single unit (coverage 20 days)', () => {
          const result = fairShare([claim(2.5, 10)], 40, 30, options());
          expect(result.quantities).to.deep.equal([40]);
          expect(result.requested).to.deep.equal([65]);
        });

        it('raises the lowest units to a common level of 10 days', () => {
          const result = fairShare([claim(1, 0), claim(1, 10), claim(2, 0)], 30, 30, options());
          expect(result.quantities).to.deep.equal([10, 0, 20]);
          expect(result.level).to.be.closeTo(10, 1e-6);
        });

        it('hands the leftover piece of the integer stage to the lowest coverage (ties to the first unit)', () => {
          // continuous level 10.25 → 10.25, 0.25, 20.5 → floors 10, 0, 20 → one piece left
          const result = fairShare([claim(1, 0), claim(1, 10), claim(2, 0)], 31, 30, options());
          expect(result.quantities).to.deep.equal([11, 0, 20]);
        });

        it('gives a weight-2 unit twice the days of a weight-1 unit', () => {
          const result = fairShare([claim(1, 0, 1), claim(1, 0, 2)], 30, 30, options());
          expect(result.quantities).to.deep.equal([10, 20]);
        });

        it('freezes a high-priority unit at its target and raises the others with the rest', () => {
          // weight 3 reaches 30 days at level 10 (needs 10 + 30 = 40 < 45), the rest goes to unit 1
          const result = fairShare([claim(1, 0, 1), claim(1, 0, 3)], 45, 30, options());
          expect(result.quantities).to.deep.equal([15, 30]);
          if (method === 'highs') expect(result.lpSolves).to.equal(1);
        });

        it('never gives a claim more than an explicit target (e.g. a reorder quantity)', () => {
          // claim 0 is capped at 5 (level 5); the rest raises claim 1: min(5, t) + t = 20 → t = 15
          const result = fairShare([{ ...claim(1, 0), target: 5 }, claim(1, 0)], 20, 30, options());
          expect(result.quantities).to.deep.equal([5, 15]);
          expect(result.requested).to.deep.equal([5, 30]);
        });

        it('gives everyone its request when supply suffices, and nothing to dailyUse 0', () => {
          const result = fairShare([claim(2, 10), claim(0, 0), claim(1, 30)], 1000, 30, options());
          expect(result.quantities).to.deep.equal([50, 0, 0]);
          expect(result.lpSolves).to.equal(0);
        });

        it('gives nothing to a unit with dailyUse 0 under shortage', () => {
          const result = fairShare([claim(0, 0), claim(1, 0), claim(1, 0)], 10, 30, options());
          expect(result.quantities).to.deep.equal([0, 5, 5]);
        });

        it('uses every piece but never exceeds supply or a request on random instances', () => {
          const random = prng(7);
          for (let round = 0; round < 25; round += 1) {
            const claims = Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
              claim(Math.round(random() * 50) / 10, Math.floor(random() * 80), 1 + Math.floor(random() * 3)),
            );
            const requested = claims.map((c) => requestedQuantity(30, c.dailyUse, c.stockOnHand));
            const total = requested.reduce((a, b) => a + b, 0);
            const available = Math.floor(total * random());
            const result = fairShare(claims, available, 30, options());
            const sum = result.quantities.reduce((a, b) => a + b, 0);
            expect(sum).to.equal(Math.min(available, total));
            result.quantities.forEach((q, i) => {
              expect(Number.isInteger(q)).to.equal(true);
              expect(q).to.be.within(0, requested[i]);
            });
          }
        });
      });
    }

    it('throws when method highs has no solver and the item is short', () => {
      expect(() => fairShare([claim(1, 0)], 1, 30, { method: 'highs' })).to.throw(/needs an LP solver/);
    });
  });

  describe('cross-checks', () => {
    it('HiGHS, javascript-lp-solver and the closed form agree on the max-min level', () => {
      const random = prng(42);
      for (let round = 0; round < 15; round += 1) {
        const claims = Array.from({ length: 2 + Math.floor(random() * 8) }, () =>
          claim(0.5 + Math.round(random() * 40) / 10, Math.floor(random() * 40)),
        );
        const caps = claims.map((c) => Math.max(0, 30 * c.dailyUse - c.stockOnHand));
        const available = Math.floor(caps.reduce((a, b) => a + b, 0) * (0.2 + 0.6 * random()));
        const closedForm = waterFillingLevel(claims, available, 30);
        const jsLp = jsLpLevel(claims, available, 30);
        const viaHighs = fairShare(claims, available, 30, { method: 'highs', solver: highs }).level;
        expect(jsLp).to.be.closeTo(closedForm, 1e-6);
        expect(viaHighs).to.be.closeTo(closedForm, 1e-6);
      }
    });

    it('HiGHS and the closed form give the same integer quantities with weights and targets', () => {
      const random = prng(3);
      for (let round = 0; round < 10; round += 1) {
        const claims = Array.from({ length: 5 + Math.floor(random() * 30) }, () =>
          claim(0.2 + Math.round(random() * 30) / 10, Math.floor(random() * 50), [1, 1.5, 2, 3][Math.floor(random() * 4)]),
        ).map((c) => (random() < 0.3 ? { ...c, target: Math.floor(random() * 40) } : c));
        const total = claims.reduce((a, c) => a + (c.target ?? requestedQuantity(30, c.dailyUse, c.stockOnHand)), 0);
        const available = Math.floor(total * 0.7);
        const a = fairShare(claims, available, 30, { method: 'highs', solver: highs });
        const b = fairShare(claims, available, 30, { method: 'water-filling' });
        expect(sortedMetrics(claims, a.quantities, 30)[0]).to.be.closeTo(sortedMetrics(claims, b.quantities, 30)[0], 1e-9);
        expect(a.quantities).to.deep.equal(b.quantities);
      }
    });

    it('matches the brute-force integer lexicographic max-min on tiny instances', () => {
      const random = prng(11);
      for (let round = 0; round < 30; round += 1) {
        const claims = Array.from({ length: 2 + Math.floor(random() * 2) }, () =>
          claim(0.1 + Math.round(random() * 4) / 10, Math.floor(random() * 4), 1 + Math.floor(random() * 2)),
        );
        const horizonDays = 20;
        const total = claims.reduce((a, c) => a + requestedQuantity(horizonDays, c.dailyUse, c.stockOnHand), 0);
        const available = Math.floor(total * random());
        const result = fairShare(claims, available, horizonDays, { method: 'highs', solver: highs });
        const expected = bruteForceBest(claims, available, horizonDays);
        expect(compareLex(sortedMetrics(claims, result.quantities, horizonDays), expected)).to.equal(0);
      }
    });
  });
});
