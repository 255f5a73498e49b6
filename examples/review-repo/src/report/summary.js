/** Totals per customer: [{ customer, total }] for every customer with orders. */
export function totalsByCustomer(customers, orders) {
  const result = [];
  for (const customer of customers) {
    const mine = orders.filter((order) => order.customerId === customer.id);
    if (mine.length === 0) continue;
    const total = mine.reduce((sum, order) => sum + order.amount, 0);
    result.push({ customer: customer.name, total });
  }
  return result;
}
