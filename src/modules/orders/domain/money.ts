import type { Money } from 'src/modules/erp';

/**
 * Exact decimal arithmetic on money strings ("44.50"). Amounts are held as BigInt counts of 1/10 000 so that
 * sums of many lines never pick up float rounding; four decimals cover every ISO 4217 minor unit (max 3)
 * and Shopify's decimal strings.
 */

/** How many decimals an amount may carry. */
export const MONEY_MAX_DECIMALS = 4;

const UNITS_PER_WHOLE = 10n ** BigInt(MONEY_MAX_DECIMALS);
const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,4}))?$/;

/** True for a plain decimal string with at most four decimals: `"12"`, `"12.5"`, `"-0.0125"`; no exponents or spaces. */
export function isDecimalString(value: unknown): value is Money {
  return typeof value === 'string' && DECIMAL.test(value);
}

/** The number of decimals written in `amount` (`"5.00"` → 2, `"1000"` → 0), i.e. the precision its source used. */
export function decimalPlaces(amount: Money): number {
  return DECIMAL.exec(amount)?.[3]?.length ?? 0;
}

/** Parses a decimal string into 1/10 000 units. Throws RangeError for anything {@link isDecimalString} rejects. */
export function toUnits(amount: Money): bigint {
  const match = DECIMAL.exec(amount);
  if (match === null) {
    throw new RangeError(`not a decimal amount with at most ${MONEY_MAX_DECIMALS} decimals: ${JSON.stringify(amount)}`);
  }
  const [, sign = '', whole = '0', fraction = ''] = match;
  const units = BigInt(whole) * UNITS_PER_WHOLE + BigInt(fraction.padEnd(MONEY_MAX_DECIMALS, '0'));
  return sign === '-' ? -units : units;
}

/**
 * Formats 1/10 000 units as a decimal string with at least two decimals and more only when they are not zero:
 * `"84.00"`, `"0.665"`, `"-1.50"`. One canonical spelling per value, so that drafts compare and hash stably.
 */
export function fromUnits(units: bigint): Money {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const whole = magnitude / UNITS_PER_WHOLE;
  const fraction = (magnitude % UNITS_PER_WHOLE).toString().padStart(MONEY_MAX_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole.toString()}.${fraction.padEnd(2, '0')}`;
}

/** The canonical spelling of an amount (`"5"` → `"5.00"`, `"0.6650"` → `"0.665"`). */
export function normaliseMoney(amount: Money): Money {
  return fromUnits(toUnits(amount));
}

/** Exact sum; `"0.00"` for no amounts. */
export function sumMoney(amounts: Iterable<Money>): Money {
  let total = 0n;
  for (const amount of amounts) {
    total += toUnits(amount);
  }
  return fromUnits(total);
}

export function addMoney(...amounts: Money[]): Money {
  return sumMoney(amounts);
}

export function subtractMoney(minuend: Money, subtrahend: Money): Money {
  return fromUnits(toUnits(minuend) - toUnits(subtrahend));
}

/** `amount × quantity` for an integer quantity (a unit price times a line quantity). */
export function multiplyMoney(amount: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) {
    throw new RangeError(`quantity must be an integer, got ${quantity}`);
  }
  return fromUnits(toUnits(amount) * BigInt(quantity));
}

/**
 * `amount × part / whole`, rounded half away from zero to the decimals `amount` itself was written with, so a
 * cent amount stays in whole cents. Used to scale a line's discount and tax to the quantity still on the order.
 */
export function prorateMoney(amount: Money, part: number, whole: number): Money {
  if (!Number.isSafeInteger(part) || part < 0 || !Number.isSafeInteger(whole) || whole <= 0) {
    throw new RangeError(`cannot prorate by ${part}/${whole}`);
  }
  const step = 10n ** BigInt(MONEY_MAX_DECIMALS - decimalPlaces(amount));
  const minor = toUnits(amount) / step;
  const numerator = minor * BigInt(part);
  const denominator = BigInt(whole);
  const magnitude = ((numerator < 0n ? -numerator : numerator) * 2n + denominator) / (2n * denominator);
  return fromUnits((numerator < 0n ? -magnitude : magnitude) * step);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`; `"5"` equals `"5.00"`. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  const difference = toUnits(a) - toUnits(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/**
 * `numerator / denominator` rounded half away from zero to `decimals` places, as a plain decimal string without
 * trailing zeros (`"1.083333"`, `"1"`). For exchange rates, which carry more decimals than an amount.
 */
export function ratioOf(numerator: Money, denominator: Money, decimals: number): string {
  const divisor = toUnits(denominator);
  if (divisor === 0n || !Number.isSafeInteger(decimals) || decimals < 0) {
    throw new RangeError(`cannot divide ${numerator} by ${denominator}`);
  }
  const scale = 10n ** BigInt(decimals);
  const dividend = toUnits(numerator) * scale;
  const negative = dividend < 0n !== divisor < 0n;
  const a = dividend < 0n ? -dividend : dividend;
  const b = divisor < 0n ? -divisor : divisor;
  const scaled = (a * 2n + b) / (2n * b);
  const whole = (scaled / scale).toString();
  const fraction = decimals === 0 ? '' : (scaled % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative && scaled !== 0n ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** The absolute value of an amount. */
export function absMoney(amount: Money): Money {
  return amount.startsWith('-') ? normaliseMoney(amount.slice(1)) : normaliseMoney(amount);
}
