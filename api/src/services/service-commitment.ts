import type { BusinessCalendar } from '../lib/business-calendar';
import type { EscalationRecord } from '../repositories/escalation-repository';

export interface Commitment {
  businessDays: number;
  /** The lab's opening days (weekends, holidays and closures skipped) and its time zone. */
  calendar: BusinessCalendar;
}

/**
 * When the lab owes a response on this case, or null while nothing is owed: the clock starts at
 * reception (a first answer or a sample request is due), restarts when the sample arrives (the
 * answer is due), and stops while the lab waits for the producer's sample or once answered.
 */
export function dueAt(
  record: Pick<EscalationRecord, 'status' | 'createdAt' | 'sampleReceivedAt'>,
  c: Commitment,
): Date | null {
  switch (record.status) {
    case 'received':
    case 'in_review':
      return c.calendar.addBusinessDays(new Date(record.createdAt), c.businessDays);
    case 'sample_received':
      return c.calendar.addBusinessDays(
        new Date(record.sampleReceivedAt ?? record.createdAt),
        c.businessDays,
      );
    default:
      return null;
  }
}
