import { discount, subtotal } from './cart.js';
import { formatCents, toCents } from './money.js';

/** A plain-text receipt, one line per item, then subtotal, discount and total. */
export function receipt(items, code) {
  const lines = items.map((item) => `${item.qty} x ${item.name}  ${formatCents(toCents(item.price) * item.qty)}`);
  const sub = subtotal(items);
  const off = discount(sub, code);
  lines.push(`Subtotal  ${formatCents(sub)}`);
  if (off > 0) lines.push(`Discount (${code.toUpperCase()})  -${formatCents(off)}`);
  lines.push(`Total  ${formatCents(sub - off)}`);
  return lines.join('\n');
}
