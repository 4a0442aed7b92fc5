import type { Queryable } from '../db/types';
import { alertRepository } from './alert-repository';
import { bankImageRepository } from './bank-image-repository';
import { bankSubmissionRepository } from './bank-submission-repository';
import { consentRepository } from './consent-repository';
import { detectionRepository } from './detection-repository';
import { escalationMessageRepository } from './escalation-message-repository';
import { indicatorsRepository } from './indicators-repository';
import { labRepository } from './lab-repository';
import { notificationRepository } from './notification-repository';
import { trainingRequestRepository } from './training-request-repository';
import { trainingJobRepository } from './training-job-repository';
import { escalationRepository } from './escalation-repository';
import { libraryRepository } from './library-repository';
import { modelVersionRepository } from './model-version-repository';
import { passwordResetRepository } from './password-reset-repository';
import { privacyRepository } from './privacy-repository';
import { sessionRepository } from './session-repository';
import { surveillanceRepository } from './surveillance-repository';
import { systemRepository } from './system-repository';
import { userRepository } from './user-repository';

/** All repositories bound to one connection (the pool, or a transaction). */
export function createRepositories(db: Queryable) {
  return {
    users: userRepository(db),
    sessions: sessionRepository(db),
    passwordResets: passwordResetRepository(db),
    library: libraryRepository(db),
    bankImages: bankImageRepository(db),
    escalations: escalationRepository(db),
    modelVersions: modelVersionRepository(db),
    messages: escalationMessageRepository(db),
    notifications: notificationRepository(db),
    lab: labRepository(db),
    bankSubmissions: bankSubmissionRepository(db),
    trainingRequests: trainingRequestRepository(db),
    trainingJobs: trainingJobRepository(db),
    system: systemRepository(db),
    consents: consentRepository(db),
    detections: detectionRepository(db),
    surveillance: surveillanceRepository(db),
    alerts: alertRepository(db),
    indicators: indicatorsRepository(db),
    privacy: privacyRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
