import type { EscalationStatus } from '@phytodiag/api/contract';

// Same table as the API's escalation-state-machine: the UI only offers actions the server
// would accept (it still answers 409 INVALID_STATUS_TRANSITION if the case moved meanwhile).
const NEXT: Readonly<Record<EscalationStatus, readonly EscalationStatus[]>> = {
  received: ['in_review', 'answered', 'sample_requested', 'closed'],
  in_review: ['answered', 'sample_requested', 'closed'],
  sample_requested: ['sample_received', 'answered', 'closed'],
  sample_received: ['answered', 'closed'],
  answered: ['closed'],
  closed: [],
};

export const canMove = (from: EscalationStatus, to: EscalationStatus): boolean =>
  NEXT[from].includes(to);
