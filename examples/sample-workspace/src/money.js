// Amounts enter as strings typed by people ("3.05", "12") and are held as integer cents from then on.

/** Parses "12.34" or "12" into cents (1234, 1200). Throws on anything else. */
export function toCents(text) {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text).trim());
  if (!match) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  const [, whole, fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Formats cents for a receipt: 1205 -> "$12.05". */
export function formatCents(cents) {
  if (!Number.isInteger(cents)) throw new Error(`cents must be an integer, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100)}.${abs % 100}`;
}
