import type { AppConfig } from '../config';
import type { Db } from '../db/types';
import type { MediaService } from '../media/media-service';
import type { Repositories } from '../repositories';
import { createAuthService } from './auth-service';
import { createBankService } from './bank-service';
import { createEscalationService } from './escalation-service';
import { createEscalationWorkflowService } from './escalation-workflow-service';
import { createLibraryService } from './library-service';
import { createModelService } from './model-service';

export function createServices(deps: {
  config: AppConfig;
  db: Db;
  repos: Repositories;
  media: MediaService;
}) {
  const { config, db, repos, media } = deps;
  const escalations = createEscalationService({
    db,
    repos,
    media,
    commitment: {
      businessDays: config.serviceCommitmentBusinessDays,
      timeZone: config.serviceTimezone,
    },
    caseRateLimit: config.caseRateLimit,
  });
  return {
    auth: createAuthService({ repos, sessionTtlHours: config.sessionTtlHours }),
    library: createLibraryService({ repos }),
    escalations,
    escalationWorkflow: createEscalationWorkflowService({ db, repos, media, escalations }),
    bank: createBankService({ db, repos, media }),
    model: createModelService({ modelDir: config.modelDir, repos }),
  };
}
export type Services = ReturnType<typeof createServices>;
