import type { Role, User } from '@phytodiag/api/contract';

// UI gating only: the API enforces the same rules on every call.
const LAB: Role[] = ['specialist', 'admin'];
const CONTRIBUTORS: Role[] = ['agronomist', 'specialist', 'admin'];

export const canTriage = (user: User | null): boolean => !!user && LAB.includes(user.role);
export const canCurate = canTriage;
export const canSubmitToBank = (user: User | null): boolean =>
  !!user && CONTRIBUTORS.includes(user.role);
/** Changing the served model affects every device: admins only. */
export const canRollbackModel = (user: User | null): boolean => !!user && user.role === 'admin';
/** Service indicators (delays, satisfaction, backlog) are for managing the lab: admins only. */
export const canSeeIndicators = (user: User | null): boolean => !!user && user.role === 'admin';
/** Roles open the lab's screens and data: admins give them (the API checks the same). */
export const canManageTeam = canSeeIndicators;
