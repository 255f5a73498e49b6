/**
 * The page as text: Playwright's accessibility snapshot (roles, names, values, states), with
 * element refs renumbered e1, e2, … in document order for every snapshot. Playwright's own refs
 * keep counting across pages and snapshots; ours depend only on what the page shows now, so the
 * same page always gives the same refs (a scripted model can rely on them) and a ref from an
 * older snapshot is caught instead of silently pointing elsewhere.
 */
export interface NumberedSnapshot {
  text: string;
  /** Our ref → Playwright's ref (for its `aria-ref=` locator). */
  refs: Map<string, string>;
}

const REF = /\[ref=([^\]\s]+)\]/g;

export function renumberRefs(snapshot: string): NumberedSnapshot {
  const refs = new Map<string, string>();
  const text = snapshot.replace(REF, (_match, theirs: string) => {
    const ours = `e${refs.size + 1}`;
    refs.set(ours, theirs);
    return `[ref=${ours}]`;
  });
  return { text, refs };
}
