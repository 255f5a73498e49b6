import { useRef, useState } from "react";

/**
 * The selected row of a list that ↑↓ move through, wrapping at both ends. `current()` is read by
 * key handlers: keys typed faster than a render (↓ then enter) act on the row the earlier key chose,
 * not on the selection of the last render.
 */
export function useSelection(count: number) {
  const [selected, setSelected] = useState(0);
  const ref = useRef(0);
  const move = (delta: number) => {
    ref.current = count ? (ref.current + delta + count) % count : 0;
    setSelected(ref.current);
  };
  return { selected, move, current: () => ref.current };
}
