import { Type, type Static } from '@sinclair/typebox';

/**
 * Monday of an ISO week, as a date: "2026-11-30". Its own module because lab.ts (alert
 * notifications) and surveillance.ts both need it and surveillance.ts already imports lab.ts.
 */
export const WeekStart = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
export type WeekStart = Static<typeof WeekStart>;
