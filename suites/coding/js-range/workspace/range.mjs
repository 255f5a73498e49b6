export function range(start, end, step = 1) {
  const out = [];
  if (step <= 0) return out;
  for (let i = start; i < end; i += step) out.push(i);
  return out;
}
