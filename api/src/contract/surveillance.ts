import { Type, type Static } from '@sinclair/typebox';
import { RegionCode, Uuid } from './common';
import { LibraryKind } from './library';
import { AgreementStats, AlertInfo } from './lab';
import { WeekStart } from './week';

/**
 * Territorial surveillance: detections reported by devices (opt-in) and confirmed by specialists.
 * Privacy rules (Quebec law 25): devices never send coordinates, only a region / MRC code they
 * derived themselves (GPS with consent, else the profile's region); a confirmed escalation keeps
 * its exact location privately in `escalations`, never in a detection nor in any aggregate.
 */

/** Monday of an ISO week (defined in ./week, shared with lab.ts without an import cycle). */
export { WeekStart };

/** MRC / equivalent territory code as in GEO_DIR/quebec-mrc.geojson (`code`: "07", "251", "993"). */
export const MrcCode = Type.String({ pattern: '^[0-9]{2,3}$' });
export type MrcCode = Static<typeof MrcCode>;

/** One on-device diagnosis, reported with the user's opt-in (consent `shareDetections`). */
export const DetectionReport = Type.Object(
  {
    /** Generated on the device: resending the same id is a no-op (idempotent). */
    clientId: Uuid,
    /** Top-1 class slug (a library slug); null when the model abstained without a class. */
    slug: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    abstained: Type.Boolean(),
    crop: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    regionCode: Type.Union([RegionCode, Type.Null()]),
    mrcCode: Type.Optional(Type.Union([MrcCode, Type.Null()])),
    week: WeekStart,
    modelVersion: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
export type DetectionReport = Static<typeof DetectionReport>;

/**
 * On-device reports one account may add in 24 hours. A day of scouting is tens of photos; without
 * a ceiling one account (30 batches of 200 a minute) could paint an outbreak on the staff map.
 * Past it the API answers 429 DETECTION_QUOTA and the device keeps the rest for later.
 */
export const DEVICE_REPORTS_PER_DAY = 500;

/** POST /api/detections (signed in, consent shareDetections) → 200 DetectionBatchResult. */
export const DetectionBatch = Type.Object(
  { items: Type.Array(DetectionReport, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export type DetectionBatch = Static<typeof DetectionBatch>;

export const DetectionBatchResult = Type.Object({
  accepted: Type.Integer(),
  /** Already received (same clientId): not counted twice. */
  duplicates: Type.Integer(),
});
export type DetectionBatchResult = Static<typeof DetectionBatchResult>;

export const DetectionSource = Type.Union([
  /** On-device only (the model's top-1, not checked by a person). */
  Type.Literal('device'),
  /** Confirmed by a lab specialist's answer to an escalation. */
  Type.Literal('confirmed'),
]);
export type DetectionSource = Static<typeof DetectionSource>;

export const MapLevel = Type.Union([Type.Literal('region'), Type.Literal('mrc')]);
export type MapLevel = Static<typeof MapLevel>;

/** Filters shared by every surveillance query (all optional, combined with AND). */
export const SurveillanceQuery = Type.Object(
  {
    slug: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    kind: Type.Optional(LibraryKind),
    crop: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    regionCode: Type.Optional(RegionCode),
    /** Inclusive week range (Mondays). Default: the last 12 weeks. */
    from: Type.Optional(WeekStart),
    to: Type.Optional(WeekStart),
    /** Default 'all'. Abstentions are never counted as detections. */
    source: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('device'), Type.Literal('confirmed')]),
    ),
    level: Type.Optional(MapLevel),
  },
  { additionalProperties: false },
);
export type SurveillanceQuery = Static<typeof SurveillanceQuery>;

export const MapCell = Type.Object({
  /** Region code ("01".."17") or MRC code, per `level`. */
  code: Type.String(),
  confirmed: Type.Integer(),
  device: Type.Integer(),
});
export type MapCell = Static<typeof MapCell>;

/** GET /api/surveillance/map (specialist/admin). Codes with no detection are omitted. */
export const SurveillanceMap = Type.Object({
  level: MapLevel,
  from: WeekStart,
  to: WeekStart,
  cells: Type.Array(MapCell),
});
export type SurveillanceMap = Static<typeof SurveillanceMap>;

export const SeriesPoint = Type.Object({
  week: WeekStart,
  slug: Type.String(),
  confirmed: Type.Integer(),
  device: Type.Integer(),
});
export type SeriesPoint = Static<typeof SeriesPoint>;

/** GET /api/surveillance/series (specialist/admin): weekly counts per class. */
export const SurveillanceSeries = Type.Object({
  from: WeekStart,
  to: WeekStart,
  points: Type.Array(SeriesPoint),
});
export type SurveillanceSeries = Static<typeof SurveillanceSeries>;

export const SurveillanceRow = Type.Object({
  week: WeekStart,
  regionCode: Type.Union([RegionCode, Type.Null()]),
  mrcCode: Type.Union([Type.String(), Type.Null()]),
  slug: Type.String(),
  kind: LibraryKind,
  crop: Type.Union([Type.String(), Type.Null()]),
  confirmed: Type.Integer(),
  device: Type.Integer(),
});
export type SurveillanceRow = Static<typeof SurveillanceRow>;

/**
 * GET /api/surveillance/table (specialist/admin): the rows behind the map and series, sorted by
 * week desc, region, MRC, slug, crop. GET /api/surveillance/table.csv: the same rows and columns
 * (header: week,regionCode,mrcCode,slug,kind,crop,confirmed,device), text/csv, UTF-8.
 */
export const SurveillanceTable = Type.Object({
  from: WeekStart,
  to: WeekStart,
  rows: Type.Array(SurveillanceRow),
  /** true when more rows matched than SURVEILLANCE_LIMITS.maxRows (narrow the filters). */
  truncated: Type.Boolean(),
});
export type SurveillanceTable = Static<typeof SurveillanceTable>;

export const SURVEILLANCE_LIMITS = { maxRows: 5000, maxWeeks: 156 } as const;

/**
 * Public view, context priors and alerts: a cell confirmed by fewer distinct farms than this is
 * suppressed (k-anonymity; one farm's several cases count once).
 */
export const PUBLIC_MIN_CELL_COUNT = 3;

export const PublicQuery = Type.Object(
  {
    slug: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    from: Type.Optional(WeekStart),
    to: Type.Optional(WeekStart),
  },
  { additionalProperties: false },
);
export type PublicQuery = Static<typeof PublicQuery>;

export const PublicCell = Type.Object({
  regionCode: RegionCode,
  week: WeekStart,
  slug: Type.String(),
  count: Type.Integer({ minimum: PUBLIC_MIN_CELL_COUNT }),
});
export type PublicCell = Static<typeof PublicCell>;

/**
 * GET /api/public/detections (no account): CONFIRMED detections only, by region × week × class,
 * every cell confirmed by fewer than PUBLIC_MIN_CELL_COUNT distinct farms left out (`count` is
 * the number of confirmations). No coordinates, MRC, names, free text or photos.
 */
export const PublicDetections = Type.Object({
  from: WeekStart,
  to: WeekStart,
  minCount: Type.Integer(),
  cells: Type.Array(PublicCell),
});
export type PublicDetections = Static<typeof PublicDetections>;

/*
 * GET /api/geo/regions and GET /api/geo/mrc: the GeoJSON files of GEO_DIR as they are (public,
 * long cache; the PWA precaches them for the offline map and on-device region assignment).
 */

// ── Service indicators (admin) ──────────────────────────────────────────────────────────────

export const IndicatorsQuery = Type.Object(
  { from: Type.Optional(WeekStart), to: Type.Optional(WeekStart) },
  { additionalProperties: false },
);
export type IndicatorsQuery = Static<typeof IndicatorsQuery>;

export const WeeklyChannels = Type.Object({
  week: WeekStart,
  /** On-device diagnoses reported that week (opt-in devices), abstentions included. */
  onDevice: Type.Integer(),
  /** Escalations received that week. */
  escalated: Type.Integer(),
});
export type WeeklyChannels = Static<typeof WeeklyChannels>;

/** GET /api/indicators (admin). Times in hours; null when there is no answered case. */
export const ServiceIndicators = Type.Object({
  from: WeekStart,
  to: WeekStart,
  commitmentBusinessDays: Type.Number(),
  /**
   * Weekdays in the next 60 days on which the lab is closed (public holidays, closures): the
   * commitment's clock does not run on them. Local dates (YYYY-MM-DD).
   */
  upcomingClosures: Type.Array(Type.String({ format: 'date' })),
  weeks: Type.Array(WeeklyChannels),
  firstAnswer: Type.Object({
    answered: Type.Integer(),
    medianHours: Type.Union([Type.Number(), Type.Null()]),
    p90Hours: Type.Union([Type.Number(), Type.Null()]),
    /**
     * Cases the commitment can be judged on: those that got a first response, and those still
     * without one whose deadline has passed (waiting, or closed without an answer).
     */
    judged: Type.Integer(),
    /** Share (0–1) of the judged cases whose first response met the commitment. */
    withinCommitment: Type.Union([Type.Number(), Type.Null()]),
  }),
  backlog: Type.Object({ open: Type.Integer(), overdue: Type.Integer() }),
  satisfaction: Type.Object({
    n: Type.Integer(),
    mean: Type.Union([Type.Number(), Type.Null()]),
    /** Counts of scores 1..5 (index 0 = score 1). */
    distribution: Type.Array(Type.Integer(), { minItems: 5, maxItems: 5 }),
  }),
  agreement: AgreementStats,
  samples: Type.Object({ requested: Type.Integer(), received: Type.Integer() }),
});
export type ServiceIndicators = Static<typeof ServiceIndicators>;

// ── Alerts ─────────────────────────────────────────────────────────────────────────────────

export const AlertSubscriptionBody = Type.Object(
  {
    regionCode: RegionCode,
    /** Free crop label as in the profile; omitted = every crop. */
    crop: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Also by e-mail (when the server has an SMTP transport). */
    email: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type AlertSubscriptionBody = Static<typeof AlertSubscriptionBody>;

export const AlertSubscription = Type.Object({
  id: Uuid,
  regionCode: RegionCode,
  crop: Type.Union([Type.String(), Type.Null()]),
  email: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type AlertSubscription = Static<typeof AlertSubscription>;

/**
 * GET /api/alerts/subscriptions → list; POST (AlertSubscriptionBody) → 201 AlertSubscription;
 * DELETE /api/alerts/subscriptions/:id → 204. Signed-in users, their own only. When a specialist
 * confirms a detection (answers a case with a library diagnosis) in a region, each matching
 * subscriber (same region, same crop or none) except the case owner gets a notification of kind
 * 'alert' (see Notification.alert), and an e-mail where asked and SMTP_URL is set (else logged).
 */
export const AlertSubscriptionList = Type.Object({
  items: Type.Array(AlertSubscription),
  /** Whether this server sends e-mail at all (SMTP_URL): without it, alerts are in the app only. */
  mailEnabled: Type.Boolean(),
});
export type AlertSubscriptionList = Static<typeof AlertSubscriptionList>;

/** What an alert notification says (defined in ./lab next to Notification, which embeds it). */
export { AlertInfo };

// ── Privacy ────────────────────────────────────────────────────────────────────────────────

/** GET/PUT /api/privacy/consents. Every change is recorded (who, what, granted, when). */
export const Consents = Type.Object(
  {
    /** The device may read GPS to fill in a case's location and derive the region. */
    location: Type.Boolean(),
    /** The device reports its on-device diagnoses (no coordinates) for surveillance. */
    shareDetections: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type Consents = Static<typeof Consents>;

export const ConsentsView = Type.Object({
  location: Type.Boolean(),
  shareDetections: Type.Boolean(),
  history: Type.Array(
    Type.Object({
      consent: Type.String(),
      granted: Type.Boolean(),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
});
export type ConsentsView = Static<typeof ConsentsView>;

/*
 * GET /api/privacy/export → application/json attachment with all of the user's data (profile,
 * consents and their history, cases with answers/messages/ratings/location, detections, alert
 * subscriptions, notifications; photo URLs). POST /api/privacy/delete {password} → 204: deletes the
 * account, its sessions, cases (and their stored photos), messages, detections, subscriptions.
 * Confirmed detections keep their aggregate counts but lose every link to the person.
 */
/**
 * GET /api/public/privacy-terms: how long personal data is kept, as this server is configured
 * (RETENTION_*), so that the privacy notice states what the purge really does.
 */
export const PrivacyTerms = Type.Object({
  retention: Type.Object({
    /** A case's exact location and phone number, after it is closed (or inactive). */
    closedCaseContactDays: Type.Integer({ minimum: 1 }),
    /** Diagnoses shared anonymously by devices (the weekly counts stay). */
    deviceDetectionWeeks: Type.Integer({ minimum: 1 }),
    /** The log of who viewed a case's exact location. */
    accessLogDays: Type.Integer({ minimum: 1 }),
  }),
});
export type PrivacyTerms = Static<typeof PrivacyTerms>;

export const DeleteAccountBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type DeleteAccountBody = Static<typeof DeleteAccountBody>;

/** GET /api/escalations/:id/location-access (owner, admin): who viewed the exact location. */
export const LocationAccessList = Type.Object({
  items: Type.Array(
    Type.Object({
      viewer: Type.Object({ id: Uuid, name: Type.Union([Type.String(), Type.Null()]) }),
      role: Type.String(),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
});
export type LocationAccessList = Static<typeof LocationAccessList>;

/** Month by month, January first: each month's factors by class slug, or null (too few confirmations). */
export const MonthFactors = Type.Array(
  Type.Union([Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0 })), Type.Null()]),
  { minItems: 12, maxItems: 12 },
);
export type MonthFactors = Static<typeof MonthFactors>;

/**
 * GET /api/public/context-priors (no account): how much more (> 1) or less (< 1) often the lab
 * confirmed each class in a month (± one month), in Quebec and in each region, than over the whole
 * year and province, from the confirmations of the last three years. The device multiplies its
 * classifier's probabilities by them when the user lets the context refine the diagnosis
 * (model/src/classifier-core.ts applyPriors). Factors only, clipped to `range` and rounded; a
 * class with factor 1 is left out; cells under PUBLIC_MIN_CELL_COUNT are counted as none.
 */
export const ContextPriors = Type.Object({
  from: WeekStart,
  to: WeekStart,
  minCount: Type.Integer(),
  range: Type.Object({ min: Type.Number(), max: Type.Number() }),
  province: MonthFactors,
  /** Only regions with enough confirmations in at least one month; a null month → province. */
  regions: Type.Record(RegionCode, MonthFactors),
});
export type ContextPriors = Static<typeof ContextPriors>;
