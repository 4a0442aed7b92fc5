import { Type, type Static } from '@sinclair/typebox';

/**
 * Validated photos a class needs to be trained on: below this it cannot have train, validation
 * and test photos (model/src/train/split.ts stratification), and a training leaves it out.
 */
export const MIN_TRAINING_IMAGES_PER_CLASS = 3;

/** One check of the non-regression gate (model/src/train/gate.ts). */
export const GateCheck = Type.Object({
  metric: Type.Union([Type.Literal('top1'), Type.Literal('ece'), Type.Literal('class_top1')]),
  slug: Type.Optional(Type.String()),
  baseline: Type.Number(),
  candidate: Type.Number(),
  delta: Type.Number(),
  tolerance: Type.Number(),
  ok: Type.Boolean(),
});

export const GateReport = Type.Object({
  passed: Type.Boolean(),
  /** Which version the candidate was compared with (null: none served yet). */
  baselineVersion: Type.Union([Type.String(), Type.Null()]),
  note: Type.Optional(Type.String()),
  /**
   * What the baseline numbers are: the served version re-scored on the candidate's very test
   * photos ('same-photos'), or its metrics recorded at training ('recorded', when the two ship
   * different backbones so embeddings are not comparable). Absent in reports written before.
   */
  basis: Type.Optional(Type.Union([Type.Literal('same-photos'), Type.Literal('recorded')])),
  /** Test photos each side was scored on. */
  samples: Type.Optional(Type.Object({ candidate: Type.Integer(), baseline: Type.Integer() })),
  checks: Type.Array(GateCheck),
  /** One line per failed check, e.g. "class x top-1 dropped from 1 to 0 (-1, tolerance 0.33)". */
  reasons: Type.Array(Type.String()),
});
export type GateReport = Static<typeof GateReport>;

export const ModelVersion = Type.Object({
  version: Type.String(),
  status: Type.Union([Type.Literal('published'), Type.Literal('rejected')]),
  /** The version GET /api/model/manifest serves. */
  current: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  /** Held-out test metrics (metrics.json `test`, or the manifest summary for CLI exports). */
  metrics: Type.Unknown(),
  gate: Type.Union([GateReport, Type.Null()]),
  trainingRequestId: Type.Union([Type.String(), Type.Null()]),
});
export type ModelVersion = Static<typeof ModelVersion>;

export const ModelVersionList = Type.Object({ items: Type.Array(ModelVersion) });
export type ModelVersionList = Static<typeof ModelVersionList>;

export const ModelVersionParams = Type.Object({
  version: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }),
});

/** Outcome of one retraining job, stored on its training request (`result`). */
export const TrainingOutcome = Type.Object({
  version: Type.Union([Type.String(), Type.Null()]),
  published: Type.Boolean(),
  images: Type.Integer(),
  classes: Type.Integer(),
  seconds: Type.Number(),
  gate: Type.Union([GateReport, Type.Null()]),
});
export type TrainingOutcome = Static<typeof TrainingOutcome>;
