import { AppError } from '../errors';
import type { EscalationPhotoRepository } from '../repositories/escalation-photo-repository';
import type { User } from '../contract/user';
import { isStaff } from './escalation-service';

/**
 * Who may see a producer's escalation photos: the owner and lab staff, the same people who may
 * see the case itself. Anyone else gets NOT_FOUND, as for the case: no existence leak.
 */
export function createEscalationPhotoService(deps: { photos: EscalationPhotoRepository }) {
  return {
    async mediaKeyFor(viewer: User | null, escalationId: string, index: number): Promise<string> {
      if (!viewer) throw new AppError('NOT_FOUND');
      const photo = await deps.photos.find(escalationId, index);
      if (!photo || (photo.ownerId !== viewer.id && !isStaff(viewer))) {
        throw new AppError('NOT_FOUND');
      }
      return photo.mediaKey;
    },
  };
}
export type EscalationPhotoService = ReturnType<typeof createEscalationPhotoService>;
