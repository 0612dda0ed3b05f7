// RFC 3339 date-time, exactly as ajv-formats' full "date-time" format decides it (date with days per month and
// leap years, time with leap seconds, time zone required), in one pass over the characters. ajv-formats splits
// the string and runs two regular expressions; every event carries two timestamps (payload and metadata) that
// are checked on publish and on consume, and that check was the largest part of validating an envelope.
// runtime/test/formats/date-time.test.ts compares both on generated and random strings.

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const WHITESPACE = /^\s$/;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Two digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * The last string accepted: messages sent in the same millisecond carry the same timestamp (the runtime formats
 * "now" once per millisecond), so a batch repeats it, and comparing the strings costs a fraction of checking one.
 */
let lastAccepted = "";

export function isDateTime(s: string): boolean {
  if (s === lastAccepted) return true;
  if (!checkDateTime(s)) return false;
  lastAccepted = s;
  return true;
}

function checkDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20) return false; // 0000-00-00T00:00:00Z
  // full-date: YYYY-MM-DD
  const century = two(s, 0);
  const yy = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  if (day > (month === 2 && isLeapYear(century * 100 + yy) ? 29 : DAYS[month]!)) return false;
  // One separator: T, t or a whitespace character.
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && !WHITESPACE.test(s[10]!)) return false;
  // partial-time: HH:MM:SS[.frac]
  const hr = two(s, 11);
  const min = two(s, 14);
  const sec = two(s, 17);
  if (hr < 0 || min < 0 || sec < 0 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    const start = i;
    while (i < n && digit(s, i) >= 0) i++;
    if (i === start) return false;
  }
  // time-offset (required): Z, z, ±HH, ±HHMM or ±HH:MM
  let tzH = 0;
  let tzM = 0;
  let sign = 1;
  const t = s.charCodeAt(i);
  if (t === 90 || t === 122) {
    if (i + 1 !== n) return false;
  } else if (t === 43 || t === 45) {
    sign = t === 45 ? -1 : 1;
    tzH = two(s, i + 1);
    if (tzH < 0) return false;
    i += 3;
    if (i < n) {
      if (s.charCodeAt(i) === 58) i++;
      tzM = two(s, i);
      if (tzM < 0 || i + 2 !== n) return false;
    }
  } else return false;
  if (tzH > 23 || tzM > 59) return false;
  // Seconds with a fraction compare like their integer part here (59.9 < 60, 60.9 < 61).
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  // A leap second: 23:59:60 in UTC.
  const utcMin = min - tzM * sign;
  const utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}
