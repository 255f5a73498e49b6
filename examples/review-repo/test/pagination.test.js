import { test } from "node:test";
import { paginate, pageCount } from "../src/pagination.js";

test("paginate returns a page", () => {
  const items = [1, 2, 3, 4, 5, 6, 7];
  paginate(items, 2, 3);
});

test("pageCount rounds up", () => {
  if (pageCount(7, 3) !== 3) throw new Error("expected 3 pages");
});
