/**
 * JSON as the SDK keeps and sends it. Amounts must reach the server as exact JSON numbers ("10000.30"), which a
 * JavaScript number cannot promise, so a record holds an amount as a marker object `{"$decimal":"10000.30"}`
 * (plain JSON: it survives the journal) and {@link wireJson} writes the marker's digits as a bare number.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const DECIMAL = '$decimal';

/** An exact decimal amount for the wire, from digits already checked by the caller. */
export function decimal(digits: string): JsonObject {
  return { [DECIMAL]: digits };
}

function isDecimal(v: Json): v is JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return false;
  }
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === DECIMAL && typeof v[DECIMAL] === 'string' && /^\d+(\.\d+)?$/.test(v[DECIMAL] as string);
}

/** The body as it goes on the wire: JSON.stringify, except that decimal markers become bare numbers. */
export function wireJson(v: Json): string {
  if (v === null || typeof v !== 'object') {
    return JSON.stringify(v) ?? 'null';
  }
  if (Array.isArray(v)) {
    return '[' + v.map(wireJson).join(',') + ']';
  }
  if (isDecimal(v)) {
    return v[DECIMAL] as string;
  }
  const parts: string[] = [];
  for (const [k, val] of Object.entries(v)) {
    if (val !== undefined) {
      parts.push(JSON.stringify(k) + ':' + wireJson(val as Json));
    }
  }
  return '{' + parts.join(',') + '}';
}

/** A plain, JSON-safe copy of what the app handed over (functions, undefined and cycles dropped), or null. */
export function toJsonValue(v: unknown): Json | undefined {
  try {
    const text = JSON.stringify(v);
    return text === undefined ? undefined : (JSON.parse(text) as Json);
  } catch {
    return undefined;
  }
}
