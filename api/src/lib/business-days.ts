const DAY_MS = 24 * 60 * 60 * 1000;

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

/** true when `at` falls on a Saturday or Sunday in `timeZone`. */
export function isWeekend(at: Date, timeZone: string): boolean {
  let fmt = weekdayFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
    weekdayFormatters.set(timeZone, fmt);
  }
  const day = fmt.format(at);
  return day === 'Sat' || day === 'Sun';
}

/**
 * `start` plus `days` business days: each step moves 24 h and weekend days are skipped, so a
 * case received Friday 16:00 with 2 days is due Tuesday 16:00, and one received Saturday is due
 * as if it arrived on Monday at the same hour. Fractional days add the remainder in hours.
 * Public holidays and the DST hour are not accounted for.
 */
export function addBusinessDays(start: Date, days: number, timeZone: string): Date {
  let t = start.getTime();
  const whole = Math.floor(days);
  for (let i = 0; i < whole; i++) {
    t += DAY_MS;
    while (isWeekend(new Date(t), timeZone)) t += DAY_MS;
  }
  const rest = days - whole;
  if (rest > 0) {
    t += rest * DAY_MS;
    while (isWeekend(new Date(t), timeZone)) t += DAY_MS;
  }
  return new Date(t);
}
