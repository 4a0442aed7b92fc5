import Fastify, {
  type FastifyInstance,
  type FastifyBaseLogger,
  type RawServerDefault,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './config';
import type { MediaStore } from './media/media-store';
import type { TrainingOptions } from './services/training-runner';
import { loggerSettings } from './plugins/logging';
import cookie from './plugins/external/cookie';
import helmet from './plugins/external/helmet';
import multipart from './plugins/external/multipart';
import rateLimit from './plugins/external/rate-limit';
import swagger from './plugins/external/swagger';
import auth from './plugins/app/auth';
import csrf from './plugins/app/csrf';
import inputGuards from './plugins/app/input-guards';
import validation from './plugins/app/validation';
import db from './plugins/app/db';
import errorHandler, { clientErrors, frameworkErrors } from './plugins/app/error-handler';
import media from './plugins/app/media';
import services from './plugins/app/services';
import training from './plugins/app/training';
import authRoutes from './routes/auth';
import bankRoutes from './routes/bank';
import cannedAnswerRoutes from './routes/canned-answers';
import escalationMessageRoutes from './routes/escalation-messages';
import escalationWorkflowRoutes from './routes/escalation-workflow';
import notificationRoutes from './routes/notifications';
import statsRoutes from './routes/stats';
import escalationRoutes from './routes/escalations';
import escalationPhotoRoutes from './routes/escalation-photos';
import healthRoutes from './routes/health';
import imageRoutes from './routes/images';
import libraryRoutes from './routes/library';
import modelRoutes from './routes/model';
import modelVersionRoutes from './routes/models';
import consentRoutes from './routes/consents';
import detectionRoutes from './routes/detections';
import geoRoutes from './routes/geo';
import publicDetectionRoutes from './routes/public-detections';
import contextPriorRoutes from './routes/context-priors';
import surveillanceRoutes from './routes/surveillance';
import alertRoutes from './routes/alerts';
import indicatorRoutes from './routes/indicators';
import privacyDataRoutes from './routes/privacy-data';
import userRoutes from './routes/users';
import webRoutes from './routes/web';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
  }
}

export interface BuildOptions {
  /** Where log lines go (tests capture them to check redaction); stdout by default. */
  logStream?: DestinationStream;
  /** Replaces the disk media store (tests inject failures). */
  mediaStore?: MediaStore;
  /** Retraining knobs (tests: few epochs, no augmentation). */
  trainingOptions?: TrainingOptions;
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Builds the whole application and waits until it is ready (migrations applied). */
export async function buildApp(config: AppConfig, options: BuildOptions = {}): Promise<App> {
  const app: App = Fastify({
    ...loggerSettings(config.logLevel, options.logStream),
    // A hop count trusts that many proxies from the server outwards (what Fastify does for a
    // number; its types only take the function form).
    trustProxy:
      typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    frameworkErrors,
    clientErrorHandler: clientErrors,
    bodyLimit: 1024 * 1024,
    // PGlite start + migrations can take seconds on a busy 2-core machine.
    pluginTimeout: 120_000,
    // Ids of the form req-1 are useless across instances; UUIDs are searchable in logs.
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  app.decorate('config', config);

  // 1. Framework plugins (order matters: error handler first so it sees their errors).
  await app.register(errorHandler);
  await app.register(validation);
  await app.register(inputGuards);
  await app.register(helmet);
  await app.register(rateLimit);
  await app.register(multipart);
  await app.register(cookie);
  await app.register(csrf);
  await app.register(swagger);

  // 2. Application plugins.
  await app.register(db);
  await app.register(media, { store: options.mediaStore });
  await app.register(services);
  await app.register(auth);
  await app.register(training, { trainingOptions: options.trainingOptions });

  // 3. Routes.
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(libraryRoutes);
  await app.register(escalationRoutes);
  await app.register(escalationWorkflowRoutes);
  await app.register(escalationMessageRoutes);
  await app.register(notificationRoutes);
  await app.register(cannedAnswerRoutes);
  await app.register(statsRoutes);
  await app.register(bankRoutes);
  await app.register(escalationPhotoRoutes);
  await app.register(modelRoutes);
  await app.register(modelVersionRoutes);
  await app.register(imageRoutes);
  await app.register(geoRoutes);
  await app.register(consentRoutes);
  await app.register(detectionRoutes);
  await app.register(surveillanceRoutes);
  await app.register(publicDetectionRoutes);
  await app.register(contextPriorRoutes);
  await app.register(alertRoutes);
  await app.register(indicatorRoutes);
  await app.register(privacyDataRoutes);
  await app.register(userRoutes);
  await app.register(webRoutes);

  await app.ready();
  return app;
}
