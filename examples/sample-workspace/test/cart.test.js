import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discount, subtotal, total } from '../src/cart.js';
import { formatCents, toCents } from '../src/money.js';

test('toCents reads whole and fractional amounts', () => {
  assert.equal(toCents('12'), 1200);
  assert.equal(toCents('3.05'), 305);
  assert.equal(toCents('0.5'), 50);
  assert.throws(() => toCents('1.234'), /not an amount/);
});

test('formatCents always shows two digits of cents', () => {
  assert.equal(formatCents(1234), '$12.34');
  assert.equal(formatCents(1205), '$12.05');
  assert.equal(formatCents(610), '$6.10');
});

test('subtotal multiplies by quantity', () => {
  assert.equal(subtotal([{ name: 'Tea', price: '3.05', qty: 2 }, { name: 'Jam', price: '4', qty: 1 }]), 1010);
});

test('discount codes are case-insensitive and round down', () => {
  assert.equal(discount(1010, 'welcome10'), 101);
  assert.equal(discount(999, 'STAFF25'), 249);
  assert.equal(discount(1000, 'NOPE'), 0);
  assert.equal(total([{ name: 'Tea', price: '3.05', qty: 2 }], 'WELCOME10'), 549);
});
