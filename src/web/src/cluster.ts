/**
 * Grid clustering in screen space: points that fall in the same cell of `cellPx` pixels at the
 * current zoom become one cluster at their mean position. O(n), no dependencies. Pure: the
 * caller projects the points (Leaflet's map.project) and un-projects the centres.
 */

export interface ProjectedPoint<T> {
  x: number;
  y: number;
  value: T;
}

export interface Cluster<T> {
  x: number;
  y: number;
  members: T[];
}

export function gridCluster<T>(points: readonly ProjectedPoint<T>[], cellPx: number): Cluster<T>[] {
  const cells = new Map<string, { sx: number; sy: number; members: T[] }>();
  for (const p of points) {
    const key = `${Math.floor(p.x / cellPx)}:${Math.floor(p.y / cellPx)}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { sx: 0, sy: 0, members: [] };
      cells.set(key, cell);
    }
    cell.sx += p.x;
    cell.sy += p.y;
    cell.members.push(p.value);
  }
  return Array.from(cells.values(), (c) => ({ x: c.sx / c.members.length, y: c.sy / c.members.length, members: c.members }));
}
