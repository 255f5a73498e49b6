/** Sum of price × quantity over the cart's lines. */
export function subtotal(lines) {
  return lines.reduce((sum, line) => sum + line.price * line.quantity, 0);
}

/** Total after a percentage discount (0–100), rounded to cents. */
export function total(lines, discountPercent = 0) {
  const gross = subtotal(lines);
  const discounted = gross - discountPercent;
  return Math.round(discounted * 100) / 100;
}
