import Fastify, {
  type FastifyInstance,
  type FastifyBaseLogger,
  type RawServerDefault,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppConfig } from './config';
import cookie from './plugins/external/cookie';
import helmet from './plugins/external/helmet';
import multipart from './plugins/external/multipart';
import rateLimit from './plugins/external/rate-limit';
import swagger from './plugins/external/swagger';
import auth from './plugins/app/auth';
import db from './plugins/app/db';
import errorHandler from './plugins/app/error-handler';
import media from './plugins/app/media';
import services from './plugins/app/services';
import authRoutes from './routes/auth';
import escalationRoutes from './routes/escalations';
import healthRoutes from './routes/health';
import imageRoutes from './routes/images';
import libraryRoutes from './routes/library';
import modelRoutes from './routes/model';
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

/** Secrets never reach the logs, whatever gets logged. */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'body.password',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  'password',
];

/** Builds the whole application and waits until it is ready (migrations applied). */
export async function buildApp(config: AppConfig): Promise<App> {
  const app: App = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // PGlite start + migrations can take seconds on a busy 2-core machine.
    pluginTimeout: 120_000,
    // Ids of the form req-1 are useless across instances; UUIDs are searchable in logs.
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  app.decorate('config', config);

  // 1. Framework plugins (order matters: error handler first so it sees their errors).
  await app.register(errorHandler);
  await app.register(helmet);
  await app.register(rateLimit);
  await app.register(multipart);
  await app.register(cookie);
  await app.register(swagger);

  // 2. Application plugins.
  await app.register(db);
  await app.register(media);
  await app.register(services);
  await app.register(auth);

  // 3. Routes.
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(libraryRoutes);
  await app.register(escalationRoutes);
  await app.register(modelRoutes);
  await app.register(imageRoutes);
  await app.register(webRoutes);

  await app.ready();
  return app;
}
