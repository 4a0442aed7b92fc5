import type { Role, User } from '../contract/user';

/** Lab staff: they see every case and run the lab workflow (and curate the image bank). */
export const STAFF_ROLES: readonly Role[] = ['specialist', 'admin'];
const STAFF: ReadonlySet<Role> = new Set(STAFF_ROLES);

export function isStaff(user: User): boolean {
  return STAFF.has(user.role);
}

/**
 * Who may see a case and everything attached to it (photos, exact location, thread), or a bank
 * submission: its owner and lab staff. Callers answer anyone else with NOT_FOUND, never
 * FORBIDDEN: no existence leak.
 */
export function isOwnerOrStaff(viewer: User, ownerId: string): boolean {
  return ownerId === viewer.id || isStaff(viewer);
}
