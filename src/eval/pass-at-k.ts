/**
 * The unbiased pass@k estimator (Chen et al., 2021): with n attempts of which c passed, the
 * chance that at least one of k attempts drawn without replacement passes,
 * 1 − C(n−c, k) / C(n, k), computed as a product so it stays exact for large n.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k <= 0 || n <= 0) return 0;
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} attempts, got ${n}`);
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/** pass@k averaged over tasks: each entry is one task's attempts and passes. */
export function meanPassAtK(tasks: { n: number; c: number }[], k: number): number | undefined {
  const usable = tasks.filter((t) => t.n >= k);
  if (!usable.length) return undefined;
  return usable.reduce((sum, t) => sum + passAtK(t.n, t.c, k), 0) / usable.length;
}

/** Wilson score interval for a proportion (default 95%): honest at small n and at 0 or 1. */
export function wilsonInterval(passes: number, total: number, z = 1.96): { low: number; high: number } {
  if (total === 0) return { low: 0, high: 1 };
  const p = passes / total;
  const z2 = z * z;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z / (1 + z2 / total)) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
