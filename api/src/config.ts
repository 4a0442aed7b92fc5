import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { createBusinessCalendar } from './lib/business-calendar';
import { fromRepoRoot } from './paths';

const Env = Type.Object({
  NODE_ENV: Type.Union(
    [Type.Literal('development'), Type.Literal('production'), Type.Literal('test')],
    { default: 'development' },
  ),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** PGlite location; defaults to DATA_DIR/pglite. `memory://` for an in-memory database. */
  PGLITE_DIR: Type.Optional(Type.String({ minLength: 1 })),
  DATA_DIR: Type.String({ minLength: 1, default: './var' }),
  IMAGEBANK_DIR: Type.String({ minLength: 1, default: '../shared/data/imagebank' }),
  BACKBONE_DIR: Type.String({ minLength: 1, default: '../shared/models/mobilenet_v1_0.75_224' }),
  GEO_DIR: Type.String({ minLength: 1, default: '../shared/data/geo' }),
  MODEL_DIR: Type.String({ minLength: 1, default: './model/dist' }),
  WEB_DIST_DIR: Type.String({ minLength: 1, default: './web/dist' }),
  MODEL_CACHE_DIR: Type.String({ minLength: 1, default: './model/.cache' }),
  /** Retraining worker started by the server (pg-boss on PostgreSQL, in-process on PGlite). */
  TRAINING_WORKER: Type.Boolean({ default: true }),
  /** How often the worker looks for a queued retraining request. */
  TRAINING_POLL_SECONDS: Type.Number({ minimum: 1, default: 30 }),
  DEMO_PASSWORD: Type.String({ minLength: 10, default: 'phytodiag-demo' }),
  SESSION_TTL_HOURS: Type.Number({ exclusiveMinimum: 0, default: 720 }),
  /** Requests per minute and per client IP, all routes. */
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
  /** Login attempts per minute and per client IP. */
  LOGIN_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 10 }),
  /**
   * New accounts per hour and per client IP. Registration says when an address already has an
   * account (EMAIL_TAKEN): the limit keeps that from becoming a fast way to probe addresses, or
   * to make accounts by the thousand. 50 lets a training day register a room from one network
   * (a cooperative, a farm union) and a forgotten TRUST_PROXY still serve a day of sign-ups.
   */
  REGISTER_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 50 }),
  /**
   * Behind a reverse proxy: the number of proxies in front (e.g. 1), or their addresses/CIDRs,
   * comma-separated; `true` (any hop) is refused in production.
   */
  TRUST_PROXY: Type.String({ default: 'false' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SEED_ON_START: Type.Boolean({ default: true }),
  SEED_MAX_IMAGES_PER_CLASS: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * Synthetic surveillance detections seeded once into an empty demo database, so the dashboards
   * have something to show. Default: 20 000 under `npm start` (development), none otherwise.
   */
  DEMO_DETECTIONS: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_000_000 })),
  /**
   * Answered and rated past requests seeded once into an empty demo database, so the admin
   * indicators (response times, satisfaction, agreement) have something to show. Default: 40
   * under `npm start` (development), none otherwise (tests count the seeded requests).
   */
  DEMO_HISTORY: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
  /** Business days (Mon–Fri) the lab commits to for a first answer. */
  SERVICE_COMMITMENT_BUSINESS_DAYS: Type.Number({ minimum: 0, default: 2 }),
  /** Time zone deciding what a weekend is for the commitment. */
  SERVICE_TIMEZONE: Type.String({ minLength: 1, default: 'America/Toronto' }),
  /** Public holidays the commitment skips: a date-holidays region ("CA-QC"), or "none". */
  SERVICE_HOLIDAYS: Type.String({ minLength: 1, default: 'CA-QC' }),
  /**
   * Further days the lab is closed, comma-separated: "MM-DD" every year or "YYYY-MM-DD" once.
   * Default: the two the Quebec public service adds to the statutory holidays.
   */
  SERVICE_CLOSED_DAYS: Type.String({ default: '01-02,12-26' }),
  /**
   * A holiday or closure on a Sunday: "next-weekday" (Monday, or the next day still open, as the
   * law does for 24 June and 1 July) or "lost".
   */
  SERVICE_SUNDAY_HOLIDAYS: Type.Union([Type.Literal('next-weekday'), Type.Literal('lost')], {
    default: 'next-weekday',
  }),
  /** New cases per user within CASE_RATE_LIMIT_WINDOW_HOURS (resubmissions are not counted). */
  CASE_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 10 }),
  CASE_RATE_LIMIT_WINDOW_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24 }),
  /**
   * Messages a requester may write in one case within MESSAGE_RATE_LIMIT_WINDOW_HOURS (the lab's
   * own are never counted): past it, 429 MESSAGE_RATE_LIMITED, and a device's queue waits.
   */
  MESSAGE_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 10 }),
  MESSAGE_RATE_LIMIT_WINDOW_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24 }),
  /**
   * Where producers send a physical sample, shown with every sample request (lines separated by
   * newlines or a literal "\\n"). Unset: a demonstration address outside production, none in it.
   */
  LAB_SAMPLE_ADDRESS: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  /** Alert e-mails: an SMTP URL (smtp://user:pass@host:587, smtps://…); unset → logged only. */
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Phytodiag <no-reply@phytodiag.local>' }),
  /**
   * The app's address as people reach it (https://phytodiag.example.ca), for links in e-mails.
   * Never taken from the request's Host header, which a stranger asking for a password reset
   * could set to their own site. Unset: http://localhost:PORT (required in production with SMTP).
   */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$' })),
  /** On-device detections older than this are deleted (the weekly rollup keeps the counts). */
  RETENTION_DEVICE_DETECTION_WEEKS: Type.Integer({ minimum: 1, default: 156 }),
  /** Location access log rows older than this are deleted. */
  RETENTION_ACCESS_LOG_DAYS: Type.Integer({ minimum: 1, default: 730 }),
  /** Days after a case is closed before its exact location and phone number are erased. */
  RETENTION_CLOSED_CASE_CONTACT_DAYS: Type.Integer({ minimum: 1, default: 365 }),
});
type Env = Static<typeof Env>;

export interface AppConfig {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  dataDir: string;
  mediaDir: string;
  imagebankDir: string;
  backboneDir: string;
  geoDir: string;
  modelDir: string;
  webDistDir: string;
  modelCacheDir: string;
  trainingWorker: boolean;
  trainingPollSeconds: number;
  demoPassword: string;
  /** Demo accounts are seeded and printed unless in production. */
  demoMode: boolean;
  sessionTtlHours: number;
  rateLimitMax: number;
  loginRateLimitMax: number;
  registerRateLimitMax: number;
  trustProxy: boolean | number | string;
  logLevel: string;
  seedOnStart: boolean;
  seedMaxImagesPerClass: number | undefined;
  demoDetections: number;
  demoHistory: number;
  serviceCommitmentBusinessDays: number;
  serviceTimezone: string;
  /** date-holidays region whose public holidays the commitment skips, or null. */
  serviceHolidays: string | null;
  serviceClosedDays: string[];
  /** Whether a holiday on a Sunday is taken on the next weekday still open. */
  serviceMovesSundayHolidays: boolean;
  caseRateLimit: { max: number; windowHours: number };
  messageRateLimit: { max: number; windowHours: number };
  /** Shipping address for samples (multi-line), or null when none is configured. */
  labSampleAddress: string | null;
  smtpUrl: string | undefined;
  /** The app's address for links in e-mails, without a trailing slash. */
  publicUrl: string;
  mailFrom: string;
  retention: { deviceDetectionWeeks: number; accessLogDays: number; closedCaseContactDays: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Shown in demo mode when LAB_SAMPLE_ADDRESS is not set: plainly not a real address. */
export const DEMO_LAB_SAMPLE_ADDRESS = [
  'Laboratoire de diagnostic Phytodiag (adresse de démonstration · demonstration address)',
  '123, rue de l’Exemple',
  'Québec (Québec)  G0A 0A0',
].join('\n');

/** Fastify's `trustProxy`: false, true, a hop count ("1"), or the proxy's addresses/CIDRs. */
function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  if (raw === 'false' || raw === '') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** Reads and validates the environment; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(Env.properties);
  const picked: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const converted = Value.Default(Env, Value.Convert(Env, picked));
  const problems = [...Value.Errors(Env, converted)].map(
    (e) => `${e.path.slice(1) || '(root)'}: ${e.message} (got ${JSON.stringify(e.value)})`,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  const e = converted as Env;
  const serviceHolidays = e.SERVICE_HOLIDAYS === 'none' ? null : e.SERVICE_HOLIDAYS;
  const serviceClosedDays = e.SERVICE_CLOSED_DAYS.split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  try {
    createBusinessCalendar({
      timeZone: e.SERVICE_TIMEZONE,
      holidays: serviceHolidays,
      closedDays: serviceClosedDays,
      moveSundayHolidays: e.SERVICE_SUNDAY_HOLIDAYS === 'next-weekday',
    });
  } catch (err) {
    // A bad zone (RangeError from Intl), region or closed day: refuse to start, saying which.
    throw new ConfigError([
      `SERVICE_TIMEZONE/SERVICE_HOLIDAYS/SERVICE_CLOSED_DAYS: ${String(err)}`,
    ]);
  }
  // `true` takes the left-most X-Forwarded-For, which the client writes: every login attempt
  // could claim a new address (no rate limit) and X-Forwarded-Proto would decide the Secure flag.
  if (e.NODE_ENV === 'production' && e.TRUST_PROXY === 'true') {
    throw new ConfigError([
      'TRUST_PROXY: "true" trusts what any client writes in X-Forwarded-For; give the number of proxies in front of the server (e.g. 1) or their addresses',
    ]);
  }
  if (e.NODE_ENV === 'production' && e.SMTP_URL && !e.PUBLIC_URL) {
    throw new ConfigError(['PUBLIC_URL: required with SMTP_URL in production (links in e-mails)']);
  }
  const dataDir = fromRepoRoot(e.DATA_DIR);
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    pgliteDir:
      e.PGLITE_DIR === undefined
        ? join(dataDir, 'pglite')
        : e.PGLITE_DIR.startsWith('memory://')
          ? e.PGLITE_DIR
          : fromRepoRoot(e.PGLITE_DIR),
    dataDir,
    mediaDir: join(dataDir, 'media'),
    imagebankDir: fromRepoRoot(e.IMAGEBANK_DIR),
    backboneDir: fromRepoRoot(e.BACKBONE_DIR),
    geoDir: fromRepoRoot(e.GEO_DIR),
    modelDir: fromRepoRoot(e.MODEL_DIR),
    webDistDir: fromRepoRoot(e.WEB_DIST_DIR),
    modelCacheDir: fromRepoRoot(e.MODEL_CACHE_DIR),
    trainingWorker: e.TRAINING_WORKER,
    trainingPollSeconds: e.TRAINING_POLL_SECONDS,
    demoPassword: e.DEMO_PASSWORD,
    demoMode: e.NODE_ENV !== 'production',
    sessionTtlHours: e.SESSION_TTL_HOURS,
    rateLimitMax: e.RATE_LIMIT_MAX,
    loginRateLimitMax: e.LOGIN_RATE_LIMIT_MAX,
    registerRateLimitMax: e.REGISTER_RATE_LIMIT_MAX,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    seedOnStart: e.SEED_ON_START,
    seedMaxImagesPerClass: e.SEED_MAX_IMAGES_PER_CLASS,
    demoDetections:
      e.NODE_ENV === 'production'
        ? 0
        : (e.DEMO_DETECTIONS ?? (e.NODE_ENV === 'development' ? 20_000 : 0)),
    demoHistory:
      e.NODE_ENV === 'production' ? 0 : (e.DEMO_HISTORY ?? (e.NODE_ENV === 'development' ? 40 : 0)),
    serviceCommitmentBusinessDays: e.SERVICE_COMMITMENT_BUSINESS_DAYS,
    serviceTimezone: e.SERVICE_TIMEZONE,
    serviceHolidays,
    serviceClosedDays,
    serviceMovesSundayHolidays: e.SERVICE_SUNDAY_HOLIDAYS === 'next-weekday',
    caseRateLimit: { max: e.CASE_RATE_LIMIT_MAX, windowHours: e.CASE_RATE_LIMIT_WINDOW_HOURS },
    messageRateLimit: {
      max: e.MESSAGE_RATE_LIMIT_MAX,
      windowHours: e.MESSAGE_RATE_LIMIT_WINDOW_HOURS,
    },
    labSampleAddress:
      e.LAB_SAMPLE_ADDRESS?.replace(/\\n/g, '\n').trim() ||
      (e.NODE_ENV === 'production' ? null : DEMO_LAB_SAMPLE_ADDRESS),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    retention: {
      deviceDetectionWeeks: e.RETENTION_DEVICE_DETECTION_WEEKS,
      accessLogDays: e.RETENTION_ACCESS_LOG_DAYS,
      closedCaseContactDays: e.RETENTION_CLOSED_CASE_CONTACT_DAYS,
    },
  };
}
