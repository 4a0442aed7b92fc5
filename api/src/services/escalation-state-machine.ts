import { AppError } from '../errors';
import type { EscalationStatus } from '../contract/escalation';

/**
 * The one place that says which status may follow which. received → in_review → answered |
 * sample_requested → (sample_received →) answered → closed. A specialist may also answer or ask
 * for a sample straight from `received` (no separate claim), and a case can be closed from any
 * open status (the owner withdraws it, or the lab closes a stale one).
 */
const NEXT: Readonly<Record<EscalationStatus, readonly EscalationStatus[]>> = {
  received: ['in_review', 'answered', 'sample_requested', 'closed'],
  in_review: ['answered', 'sample_requested', 'closed'],
  sample_requested: ['sample_received', 'answered', 'closed'],
  sample_received: ['answered', 'closed'],
  answered: ['closed'],
  closed: [],
};

export function canTransition(from: EscalationStatus, to: EscalationStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws 409 INVALID_STATUS_TRANSITION when `to` may not follow `from`. */
export function assertTransition(from: EscalationStatus, to: EscalationStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('INVALID_STATUS_TRANSITION', undefined, { from, to });
  }
}

/** Statuses in which a case still counts as open (duplicate detection). */
export const OPEN_STATUSES: readonly EscalationStatus[] = [
  'received',
  'in_review',
  'sample_requested',
  'sample_received',
  'answered',
];
