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

/** A status as the lab's screens name it, for messages about a case that changed meanwhile. */
export const STATUS_LABELS: Readonly<Record<EscalationStatus, Record<'fr' | 'en', string>>> = {
  received: { fr: 'Reçue', en: 'Received' },
  in_review: { fr: 'En cours d’examen', en: 'In review' },
  answered: { fr: 'Répondue', en: 'Answered' },
  sample_requested: { fr: 'Échantillon demandé', en: 'Sample requested' },
  sample_received: { fr: 'Échantillon reçu', en: 'Sample received' },
  closed: { fr: 'Fermée', en: 'Closed' },
};

/**
 * Throws 409 INVALID_STATUS_TRANSITION when `to` may not follow `from`. In practice the case
 * changed under a screen that was open meanwhile (a colleague answered, the owner withdrew it):
 * the message says what it is now, in words, not status codes.
 */
export function assertTransition(from: EscalationStatus, to: EscalationStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('INVALID_STATUS_TRANSITION', undefined, { now: STATUS_LABELS[from] });
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
