import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/**
 * A list that renders only the rows near the viewport: heights are measured once a row has
 * been shown and estimated before, so a 2,000-event transcript keeps a few dozen rows in the
 * page. It sticks to the bottom while the user is there (a live transcript), and leaves the
 * scroll position alone once they scroll up to read.
 */
export function VirtualList<T>({ items, keyOf, render, estimate = 80, label }: { items: T[]; keyOf: (item: T) => string; render: (item: T) => ReactNode; estimate?: number; label: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [range, setRange] = useState({ top: 0, height: 800 });
  const [, setMeasured] = useState(0);
  const stick = useRef(true);

  const offsets: number[] = new Array(items.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < items.length; i++) offsets[i + 1] = offsets[i]! + (heights.current.get(keyOf(items[i]!)) ?? estimate);
  const total = offsets[items.length]!;
  const overscan = 600;
  let first = lowerBound(offsets, range.top - overscan);
  first = Math.max(0, first - 1);
  let last = first;
  while (last < items.length && offsets[last]! < range.top + range.height + overscan) last++;

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    setRange({ top: el.scrollTop, height: el.clientHeight });
  }, []);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setRange({ top: el.scrollTop, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const measure = useCallback((key: string, node: HTMLElement | null) => {
    if (!node) return;
    const h = node.getBoundingClientRect().height;
    if (h > 0 && Math.abs((heights.current.get(key) ?? -1) - h) > 0.5) {
      heights.current.set(key, h);
      setMeasured((n) => n + 1);
    }
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });

  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
    <div ref={scroller} className="virtual" onScroll={onScroll} role="log" aria-label={label} tabIndex={0}>
      <div style={{ height: total, position: "relative" }}>
        {items.slice(first, last).map((item, n) => {
          const key = keyOf(item);
          return (
            <div key={key} ref={(node) => measure(key, node)} style={{ position: "absolute", top: offsets[first + n], left: 0, right: 0 }}>
              {render(item)}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
