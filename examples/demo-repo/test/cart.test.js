import assert from "node:assert/strict";
import { test } from "node:test";
import { subtotal, total } from "../src/cart.js";

const cart = [
  { name: "notebook", price: 4.5, quantity: 2 },
  { name: "pen", price: 1.25, quantity: 4 },
];

test("subtotal adds price times quantity", () => {
  assert.equal(subtotal(cart), 14);
});

test("total applies a percentage discount", () => {
  assert.equal(total(cart, 10), 12.6);
});

test("total without a discount is the subtotal", () => {
  assert.equal(total(cart), 14);
});
