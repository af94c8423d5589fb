import type { Individual, Penalties } from './individual.ts';
import type { HgsParams } from './params.ts';
import type { Rng } from './rng.ts';

/**
 * Two subpopulations (feasible / infeasible) ranked by biased fitness: cost rank plus a
 * diversity rank (mean broken-pairs distance to the closest individuals), as in HGS.
 */
export class Population {
  feasible: Individual[] = [];
  infeasible: Individual[] = [];

  constructor(
    private readonly params: HgsParams,
    private readonly rng: Rng,
  ) {}

  get size(): number {
    return this.feasible.length + this.infeasible.length;
  }

  add(individual: Individual): void {
    const sub = individual.feasible ? this.feasible : this.infeasible;
    for (const other of sub) {
      const dist = individual.brokenPairs(other);
      other.addProximity(individual, dist);
      individual.addProximity(other, dist);
    }
    let i = sub.length;
    while (i > 0 && sub[i - 1].penalizedCost > individual.penalizedCost) i--;
    sub.splice(i, 0, individual);
    if (sub.length > this.params.mu + this.params.lambda) {
      while (sub.length > this.params.mu) this.removeWorst(sub);
    }
  }

  private removeWorst(sub: Individual[]): void {
    this.updateBiasedFitness(sub);
    let worst = -1;
    let worstIsClone = false;
    let worstFitness = -1;
    for (let i = 1; i < sub.length; i++) {
      const isClone = sub[i].proximity.length > 0 && sub[i].proximity[0].dist < 1e-9;
      if ((isClone && !worstIsClone) || (isClone === worstIsClone && sub[i].biasedFitness > worstFitness)) {
        worst = i;
        worstIsClone = isClone;
        worstFitness = sub[i].biasedFitness;
      }
    }
    if (worst < 0) worst = sub.length - 1;
    const [removed] = sub.splice(worst, 1);
    for (const other of sub) other.removeProximity(removed);
  }

  private updateBiasedFitness(sub: Individual[]): void {
    const m = sub.length;
    if (m === 1) {
      sub[0].biasedFitness = 0;
      return;
    }
    const byDiversity = sub.map((ind, i) => ({ i, div: ind.averageClosest(this.params.nbClose) })).sort((a, b) => b.div - a.div || a.i - b.i);
    const divRank = new Float64Array(m);
    byDiversity.forEach((entry, rank) => (divRank[entry.i] = rank / (m - 1)));
    const eliteWeight = 1 - Math.min(this.params.nbElite, m) / m;
    for (let i = 0; i < m; i++) {
      const fitRank = i / (m - 1);
      sub[i].biasedFitness = m <= this.params.nbElite ? fitRank : fitRank + eliteWeight * divRank[i];
    }
  }

  /** Re-ranks the infeasible subpopulation after a penalty change. */
  repenalize(pen: Penalties): void {
    for (const ind of this.infeasible) ind.updatePenalized(pen);
    this.infeasible.sort((a, b) => a.penalizedCost - b.penalizedCost);
  }

  /** Binary tournament on biased fitness over both subpopulations. */
  select(): Individual {
    this.updateBiasedFitness(this.feasible);
    this.updateBiasedFitness(this.infeasible);
    const total = this.size;
    const pick = (): Individual => {
      const k = this.rng.int(total);
      return k < this.feasible.length ? this.feasible[k] : this.infeasible[k - this.feasible.length];
    };
    const a = pick();
    const b = pick();
    return a.biasedFitness < b.biasedFitness ? a : b;
  }

  clear(): void {
    this.feasible = [];
    this.infeasible = [];
  }
}
