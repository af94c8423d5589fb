/** Dates of the operation are local to Mexico City (the programme, the evidence "day"). */
export const OPERATION_TIMEZONE = 'America/Mexico_City';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: OPERATION_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Local ISO date (YYYY-MM-DD) of an instant in Mexico City. */
export function localDay(at: Date): string {
  return dayFormat.format(at);
}

/** Local month (YYYY-MM) of an instant: the stock period a delivery counts in. */
export function localMonth(at: Date): string {
  return localDay(at).slice(0, 7);
}
