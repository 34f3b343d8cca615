// Numbers, amounts, dates and durations in the browser's locale (Intl); amounts in their own currency.

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dateLong = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dateShort = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const currencies = new Map();

export const DASH = '\u2014';

export function count(n) {
  return n === null || n === undefined ? DASH : counts.format(n);
}

/** 0.6667 -> "66.7%" */
export function percent(fraction, digits = 1) {
  if (fraction === null || fraction === undefined) {
    return DASH;
  }
  return new Intl.NumberFormat(undefined, {
    style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(Number(fraction));
}

export function decimal(n) {
  return n === null || n === undefined ? DASH : decimals.format(Number(n));
}

/** An amount (decimal string from the API) in its currency's usual digits. */
export function money(amount, currency) {
  if (amount === null || amount === undefined) {
    return DASH;
  }
  if (!currencies.has(currency)) {
    try {
      currencies.set(currency, new Intl.NumberFormat(undefined, { style: 'currency', currency }));
    } catch {
      currencies.set(currency, { format: (v) => `${decimals.format(v)} ${currency}` });
    }
  }
  return currencies.get(currency).format(Number(amount));
}

/** A p-value in plain words' precision: two significant digits, "< 0.001" below that. */
export function pValue(p) {
  if (p === null || p === undefined) {
    return DASH;
  }
  const v = Number(p);
  if (v < 0.001) {
    return `< ${new Intl.NumberFormat(undefined, { minimumFractionDigits: 3 }).format(0.001)}`;
  }
  return new Intl.NumberFormat(undefined, { maximumSignificantDigits: 2 }).format(v);
}

/** A change in percentage points: +12.5 pts */
export function points(fractionDelta) {
  return `${new Intl.NumberFormat(undefined, {
    minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero',
  }).format(Number(fractionDelta) * 100)} pts`;
}

export function signedPercent(fraction) {
  return new Intl.NumberFormat(undefined, {
    style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero',
  }).format(fraction);
}

export function signedDecimal(n) {
  return new Intl.NumberFormat(undefined, {
    minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero',
  }).format(n);
}

/** "2026-11-22" (a reporting date) -> "Nov 22, 2026" */
export function date(isoDate) {
  return dateLong.format(new Date(`${isoDate}T00:00:00Z`));
}

export function shortDate(isoDate) {
  return dateShort.format(new Date(`${isoDate}T00:00:00Z`));
}

/** An instant, in the browser's time zone. */
export function instant(iso) {
  return iso ? stamp.format(new Date(iso)) : DASH;
}

export function timeOfDay(iso) {
  return clock.format(new Date(iso));
}

const UNITS = [['day', 86400000], ['hour', 3600000], ['minute', 60000], ['second', 1000]];

/** 9,000,000 ms -> "2 hr, 30 min": the two largest units. */
export function duration(ms) {
  if (ms === null || ms === undefined) {
    return DASH;
  }
  let rest = Math.max(0, Math.round(ms));
  const parts = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length === 0 && unit === 'second')) {
      parts.push(new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'short' }).format(n));
    }
    if (parts.length === 2) {
      break;
    }
    if (parts.length === 1 && n === 0) {
      break;
    }
  }
  return new Intl.ListFormat(undefined, { style: 'narrow', type: 'unit' }).format(parts);
}
