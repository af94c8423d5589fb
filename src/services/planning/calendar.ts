/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD, no time zone: a date is a local day in Mexico),
 * the default ordinary-round calendar and the Spanish date texts of the route programme.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

export function toDayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: "${date}"`);
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(toDayNumber(date) * DAY_MS).getUTCDay();
}

/**
 * Delivery days of a round: every date from start to end inclusive except the weekdays listed
 * in `restWeekdays` (Sunday by default). A one-day round on a rest day keeps that day.
 */
export function deliveryDates(start: string, end: string, restWeekdays: readonly number[] = [0]): string[] {
  const first = toDayNumber(start);
  const last = toDayNumber(end);
  const dates: string[] = [];
  for (let d = first; d <= last; d++) {
    const date = fromDayNumber(d);
    if (!restWeekdays.includes(weekday(date))) dates.push(date);
  }
  return dates.length > 0 ? dates : [start];
}

/**
 * The default calendar's ordinary round of a month: the delivery week is the `weekFromEnd`-th
 * last week (2 = penultimate, as in the operation), Monday to Monday + days − 1.
 * September 2025 → 22–26 Sep (the real second round).
 */
export function ordinaryRoundWindow(month: string, options: { weekFromEnd?: number; deliveryDays?: number } = {}): { deliveryStart: string; deliveryEnd: string } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  const lastDay = Math.round(Date.UTC(year, monthIndex + 1, 0) / DAY_MS);
  let lastMonday = lastDay;
  while (new Date(lastMonday * DAY_MS).getUTCDay() !== 1) lastMonday--;
  const start = lastMonday - 7 * ((options.weekFromEnd ?? 2) - 1);
  return { deliveryStart: fromDayNumber(start), deliveryEnd: fromDayNumber(start + (options.deliveryDays ?? 5) - 1) };
}

/** "YYYY-MM" of the month after the date's month. */
export function nextMonth(date: Date, timeZone = 'America/Mexico_City'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(date);
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const month = Number(parts.find((p) => p.type === 'month')?.value);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

const MESES = ['ENERO', 'FEBRERO', 'MARZO', 'ABRIL', 'MAYO', 'JUNIO', 'JULIO', 'AGOSTO', 'SEPTIEMBRE', 'OCTUBRE', 'NOVIEMBRE', 'DICIEMBRE'];

/** "17 DE AGOSTO AL 03 DE SEPTIEMBRE 2026" (the programme's date range); years shown when they differ. */
export function spanishDateRange(start: string, end: string): string {
  const [y1, m1, d1] = start.split('-');
  const [y2, m2, d2] = end.split('-');
  const first = `${d1} DE ${MESES[Number(m1) - 1]}${y1 !== y2 ? ` ${y1}` : ''}`;
  if (start === end) return `${d1} DE ${MESES[Number(m1) - 1]} ${y1}`;
  if (y1 === y2 && m1 === m2) return `${d1} AL ${d2} DE ${MESES[Number(m2) - 1]} ${y2}`;
  return `${first} AL ${d2} DE ${MESES[Number(m2) - 1]} ${y2}`;
}

/** "HH:MM" of minutes after midnight (wrapping past 24 h for multi-day trips). */
export function clock(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
