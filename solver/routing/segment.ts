/**
 * Duration segments (time-window concatenation, Vidal et al. 2013): a route piece is summarised
 * by its minimal duration, unavoidable time warp, and the earliest / latest start that achieve
 * them. Two summaries merge in O(1), which makes every move evaluation constant time.
 */
export interface DurationSegment {
  duration: number;
  timeWarp: number;
  earliest: number;
  latest: number;
}

/** Merges `b` after `a` in place into `a`; `travel` is the duration from a's last to b's first node. */
export function mergeInto(a: DurationSegment, travel: number, bDuration: number, bTimeWarp: number, bEarliest: number, bLatest: number): void {
  const delta = a.duration - a.timeWarp + travel;
  const wait = Math.max(bEarliest - delta - a.latest, 0);
  const warp = Math.max(a.earliest + delta - bLatest, 0);
  a.duration = a.duration + bDuration + travel + wait;
  a.timeWarp = a.timeWarp + bTimeWarp + warp;
  a.earliest = Math.max(bEarliest - delta, a.earliest) - wait;
  a.latest = Math.min(bLatest - delta, a.latest) + warp;
}
