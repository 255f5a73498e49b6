export type Interval = [number, number];

export function mergeIntervals(list: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [s, e] of list) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
