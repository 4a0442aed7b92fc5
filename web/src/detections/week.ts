/**
 * Monday of the ISO week holding `date`, as "YYYY-MM-DD" in the device's LOCAL calendar: a
 * diagnosis made on Sunday 23:30 in Quebec belongs to that week, whatever the UTC date says.
 */
export function weekStartOf(date: Date): string {
  // Noon avoids any daylight-saving edge when stepping back whole days.
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate(), 12);
  const sinceMonday = (d.getDay() + 6) % 7; // getDay: 0 = Sunday
  d.setDate(d.getDate() - sinceMonday);
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}
