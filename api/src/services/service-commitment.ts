import { addBusinessDays } from '../lib/business-days';
import type { EscalationRecord } from '../repositories/escalation-repository';

export interface Commitment {
  businessDays: number;
  timeZone: string;
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
      return addBusinessDays(new Date(record.createdAt), c.businessDays, c.timeZone);
    case 'sample_received':
      return addBusinessDays(
        new Date(record.sampleReceivedAt ?? record.createdAt),
        c.businessDays,
        c.timeZone,
      );
    default:
      return null;
  }
}
