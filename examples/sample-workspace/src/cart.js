import { toCents } from './money.js';

/** Discount codes and the percentage they take off the subtotal. */
export const DISCOUNT_CODES = new Map([
  ['WELCOME10', 10],
  ['STAFF25', 25],
]);

/** Sum of price x quantity over the cart, in cents. */
export function subtotal(items) {
  let cents = 0;
  for (const item of items) {
    if (!Number.isInteger(item.qty) || item.qty < 1) throw new Error(`bad quantity for ${item.name}: ${item.qty}`);
    cents += toCents(item.price) * item.qty;
  }
  return cents;
}

/** Cents taken off by a discount code (rounded down, in the shop's favour). Unknown codes take off nothing. */
export function discount(subtotalCents, code) {
  const percent = code ? DISCOUNT_CODES.get(code.toUpperCase()) ?? 0 : 0;
  return Math.floor((subtotalCents * percent) / 100);
}

/** What the customer pays, in cents. */
export function total(items, code) {
  const sub = subtotal(items);
  return sub - discount(sub, code);
}
