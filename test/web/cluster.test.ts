import { expect } from 'chai';
import { gridCluster } from '../../src/web/src/cluster.ts';

describe('web console grid clustering', () => {
  it('groups points of one cell into one cluster at their mean position', () => {
    const clusters = gridCluster(
      [
        { x: 10, y: 10, value: 'a' },
        { x: 30, y: 50, value: 'b' },
        { x: 70, y: 10, value: 'c' },
      ],
      60,
    );
    expect(clusters).to.have.length(2);
    const ab = clusters.find((c) => c.members.includes('a'))!;
    expect(ab.members).to.deep.equal(['a', 'b']);
    expect(ab).to.include({ x: 20, y: 30 });
    expect(clusters.find((c) => c.members.includes('c'))!.members).to.deep.equal(['c']);
  });

  it('keeps every point exactly once, whatever the cell size', () => {
    const points = Array.from({ length: 500 }, (_, i) => ({ x: (i * 37) % 1000, y: (i * 91) % 700, value: i }));
    for (const cell of [1, 13, 56, 400, 5000]) {
      const members = gridCluster(points, cell).flatMap((c) => c.members);
      expect(members.sort((a, b) => a - b)).to.deep.equal(points.map((p) => p.value));
    }
  });

  it('puts points on both sides of a cell border in different clusters', () => {
    const clusters = gridCluster(
      [
        { x: 59.9, y: 0, value: 'left' },
        { x: 60, y: 0, value: 'right' },
      ],
      60,
    );
    expect(clusters).to.have.length(2);
  });
});
