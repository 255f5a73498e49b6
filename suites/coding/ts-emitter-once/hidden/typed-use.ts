import { bus } from "./usage.ts";

bus.once("saved", (p) => {
  const id: number = p.id;
  void id;
});
