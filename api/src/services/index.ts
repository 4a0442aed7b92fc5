import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config';
import type { Db } from '../db/types';
import type { MediaService } from '../media/media-service';
import type { Repositories } from '../repositories';
import { createGeoService } from '../geo/quebec-geo';
import { createAlertService } from './alert-service';
import { createAuthService } from './auth-service';
import { createBankService } from './bank-service';
import { createConsentService } from './consent-service';
import { createDetectionService } from './detection-service';
import { createEscalationService } from './escalation-service';
import { createEscalationWorkflowService } from './escalation-workflow-service';
import { createIndicatorsService } from './indicators-service';
import { createCannedAnswerService } from './canned-answer-service';
import { createLibraryEditService } from './library-edit-service';
import { createLibraryService } from './library-service';
import { createModelService } from './model-service';
import { createBusinessCalendar } from '../lib/business-calendar';
import { createMailer } from './mailer';
import { createCaseUpdateMailer } from './case-update-mail';
import { createPrivacyService } from './privacy-service';
import { createSurveillanceService } from './surveillance-service';
import { createTeamService } from './team-service';

export function createServices(deps: {
  config: AppConfig;
  db: Db;
  repos: Repositories;
  media: MediaService;
  log: FastifyBaseLogger;
}) {
  const { config, db, repos, media, log } = deps;
  const commitment = {
    businessDays: config.serviceCommitmentBusinessDays,
    calendar: createBusinessCalendar({
      timeZone: config.serviceTimezone,
      holidays: config.serviceHolidays,
      closedDays: config.serviceClosedDays,
      moveSundayHolidays: config.serviceMovesSundayHolidays,
    }),
  };
  const library = createLibraryService({ repos });
  const escalations = createEscalationService({
    db,
    repos,
    media,
    commitment,
    sampleAddress: config.labSampleAddress,
    caseRateLimit: config.caseRateLimit,
    library,
  });
  const geo = createGeoService(config.geoDir);
  const detections = createDetectionService({
    db,
    repos,
    geo,
    timeZone: config.serviceTimezone,
  });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log });
  const alerts = createAlertService({ repos, mailer, log });
  const escalationWorkflow = createEscalationWorkflowService({
    db,
    repos,
    media,
    escalations,
    detections,
    afterConfirmedAnswer: alerts.afterConfirmedAnswer,
    afterOwnerNotified: createCaseUpdateMailer({
      repos,
      mailer,
      publicUrl: config.publicUrl,
      timeZone: config.serviceTimezone,
      log,
    }),
    messageRateLimit: config.messageRateLimit,
  });
  return {
    auth: createAuthService({
      repos,
      sessionTtlHours: config.sessionTtlHours,
      mailer,
      publicUrl: config.publicUrl,
    }),
    library,
    libraryEdits: createLibraryEditService({ db, onLibraryChanged: library.cache.invalidate }),
    escalations,
    escalationWorkflow,
    cannedAnswers: createCannedAnswerService({ repos }),
    bank: createBankService({ db, repos, media, onLibraryChanged: library.cache.invalidate }),
    model: createModelService({ modelDir: config.modelDir, repos }),
    geo,
    detections,
    consents: createConsentService({ db, repos }),
    team: createTeamService({
      db,
      repos,
      onRoleChanged: (change) => log.info(change, 'role changed'),
    }),
    surveillance: createSurveillanceService({ repos, timeZone: config.serviceTimezone }),
    mailer,
    alerts,
    indicators: createIndicatorsService({ repos, commitment, workflow: escalationWorkflow }),
    privacy: createPrivacyService({
      db,
      repos,
      media,
      log,
      timeZone: config.serviceTimezone,
      retention: config.retention,
      onLibraryChanged: library.cache.invalidate,
    }),
  };
}
export type Services = ReturnType<typeof createServices>;
