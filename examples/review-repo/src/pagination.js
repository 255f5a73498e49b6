/** Returns the items of page `page` (1-based) with `size` items per page. */
export function paginate(items, page, size) {
  const start = (page - 1) * size;
  const end = start + size;
  const out = [];
  for (let i = start; i <= end && i < items.length; i++) {
    out.push(items[i]);
  }
  return out;
}

export function pageCount(total, size) {
  return Math.ceil(total / size);
}
