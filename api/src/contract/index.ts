/**
 * HTTP contract of the Phytodiag API (`@phytodiag/api/contract`).
 * TypeBox schemas (runtime, used by the API for validation/serialisation/OpenAPI) and their
 * `Static` types. The PWA imports TYPES only: `import type { Escalation } from '@phytodiag/api/contract'`.
 * Names are stable; add fields rather than rename.
 *
 * Endpoints (all errors: ErrorBody):
 *   GET  /api/health                          → Health
 *   POST /api/auth/register   RegisterBody    → 201 User
 *   POST /api/auth/login      LoginBody       → 200 User + cookie phytodiag_session
 *   POST /api/auth/logout                     → 204
 *   GET  /api/auth/me                         → User | 401 UNAUTHENTICATED
 *   PATCH /api/auth/me        Profile         → User
 *   GET  /api/library?lang=                   → LibraryList
 *   GET  /api/library/:slug?lang=             → LibraryEntry | 404 UNKNOWN_SLUG
 *   GET  /api/library/sync?since=             → LibrarySync
 *   POST /api/escalations     multipart: photo×1–5 + case=EscalationCase JSON → 201|200 Escalation
 *   GET  /api/escalations                     → EscalationList
 *   GET  /api/escalations/:id                 → Escalation | 404 NOT_FOUND
 *   POST /api/escalations/:id/answer AnswerBody → Escalation (specialist/admin)
 *   GET  /api/model/manifest                  → ModelManifest | 404 MODEL_NOT_AVAILABLE
 *   GET  /models/<version>/<path>             → model files (immutable)
 *   GET  /images/<key>                        → stored images (immutable)
 */
export * from './common';
export * from './user';
export * from './fact-sheet';
export * from './library';
export * from './escalation';
export * from './model';
export * from './health';
export * from './error-codes';
