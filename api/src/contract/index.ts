/**
 * HTTP contract of the Phytodiag API (`@phytodiag/api/contract`).
 * TypeBox schemas (runtime, used by the API for validation/serialisation/OpenAPI) and their
 * `Static` types. The PWA imports TYPES only: `import type { Escalation } from '@phytodiag/api/contract'`.
 * Names are stable; add fields rather than rename.
 *
 * Endpoints (all errors: ErrorBody):
 *   GET  /api/health                          → Health
 *   POST /api/auth/register   RegisterBody    → 201 User + cookie phytodiag_session
 *   POST /api/auth/login      LoginBody       → 200 User + cookie phytodiag_session
 *   POST /api/auth/logout                     → 204
 *   GET  /api/auth/me                         → User | 401 UNAUTHENTICATED
 *   PATCH /api/auth/me        Profile         → User
 *   GET  /api/users?q=                        → TeamMemberList (admins: the lab's team)
 *   PATCH /api/users/:id/role RoleBody        → TeamMember (admins; 409 LAST_ADMIN)
 *   GET  /api/library?lang=                   → LibraryList
 *   GET  /api/public/privacy-terms            → PrivacyTerms (retention periods; no account)
 *   GET  /api/library/:slug?lang=             → LibraryEntry | 404 UNKNOWN_SLUG
 *   GET  /api/library/sync?since=             → LibrarySync
 *   GET  /api/library/:slug/editable          → EditableLibraryEntry (specialist/admin)
 *   GET  /api/library/:slug/editions/:edition → EarlierLibraryEditionContent (specialist/admin)
 *   PUT  /api/library/:slug  LibraryEntryEditBody → EditableLibraryEntry (specialist/admin; 409
 *        LIBRARY_EDIT_CONFLICT, 422 INVALID_LOOK_ALIKE, 400 FACT_SHEET_REQUIRED)
 *   POST /api/escalations     multipart: photo×1–5 + case=EscalationCase JSON → 201|200 Escalation
 *   GET  /api/escalations                     → EscalationList
 *   GET  /api/escalations/:id                 → Escalation | 404 NOT_FOUND (to staff, the only
 *        answer with the exact location: the look is logged for the owner)
 *   GET  /api/escalations?status=&crop=&regionCode=&kind=&suggestion=&limit=&cursor=
 *        (EscalationQueueQuery) → EscalationList (staff: queue order + counts per status, pages
 *        of `limit` ≤ 200 followed with `cursor` = the previous nextCursor; 400 INVALID_CURSOR)
 *   POST /api/escalations/:id/answer AnswerBody → Escalation (specialist/admin; 'other' + text,
 *        recommendations, cannedAnswerId; 409 INVALID_STATUS_TRANSITION)
 *   Lab workflow (all → Escalation, to staff without the exact location; 409
 *   INVALID_STATUS_TRANSITION when the status forbids it):
 *   POST /api/escalations/:id/claim                      received → in_review (specialist/admin)
 *   POST /api/escalations/:id/sample-request SampleRequestBody → sample_requested + caseRef
 *   POST /api/escalations/:id/sample-received            → sample_received (specialist/admin)
 *   POST /api/escalations/:id/close                      → closed (owner or specialist/admin)
 *   POST /api/escalations/:id/rating RatingBody          owner, once, answered/closed
 *                                                         (409 ALREADY_RATED / NOT_ANSWERED_YET)
 *   GET  /api/escalations/:id/messages                   → EscalationMessageList (owner, staff)
 *   POST /api/escalations/:id/messages MessageBody | multipart body + photo×0–5 → 201 EscalationMessage
 *   GET  /api/escalations/:id/messages/:messageId/photos/:n?size=thumb → image (owner, staff)
 *   POST /api/escalations/:id/to-bank                    → ToBankResult (staff; answered + consent)
 *   POST /api/escalations creation may also answer 409 DUPLICATE_CASE (details[0].message =
 *        existing case id) and 429 CASE_RATE_LIMITED
 *   GET  /api/notifications                              → NotificationList {unread, items}
 *   POST /api/notifications/read MarkReadBody            → NotificationList
 *   GET  /api/canned-answers                             → CannedAnswerList (specialist/admin)
 *   POST /api/canned-answers CannedAnswerBody            → 201 CannedAnswer (specialist/admin)
 *   PUT  /api/canned-answers/:id CannedAnswerBody        → CannedAnswer (specialist/admin)
 *   DELETE /api/canned-answers/:id                       → 204 (specialist/admin)
 *   GET  /api/stats/agreement                            → AgreementStats (specialist/admin)
 *   POST /api/bank/submissions multipart: photo×1–20 + meta=BankSubmissionMeta → 201 BankSubmissionCreated
 *        (agronomist/specialist/admin; 200 with the same submission for a resend of meta.clientId)
 *   GET  /api/bank/submissions?status=&mine=             → BankSubmissionList (curators: all, or
 *        their own with mine=true; agronomists: their own)
 *   GET  /api/bank/submissions/:id                       → BankSubmission
 *   GET  /api/bank/images/:id?size=thumb                 → submitted image (any status)
 *   POST /api/bank/submissions/:id/validate ValidateSubmissionBody → BankSubmission (specialist/admin)
 *   POST /api/bank/submissions/:id/reject RejectSubmissionBody     → BankSubmission (specialist/admin)
 *   POST /api/bank/submissions/:id/withdraw WithdrawSubmissionBody → BankSubmission (specialist/admin;
 *        validated photos leave the bank, a retraining is queued)
 *   GET  /api/training-requests                          → TrainingRequestList (specialist/admin)
 *   GET  /api/models                                     → ModelVersionList (specialist/admin:
 *        published and gate-rejected versions, metrics, gate report)
 *   POST /api/models/:version/rollback                   → 204 (admin; 404 NOT_FOUND,
 *        409 MODEL_VERSION_REJECTED, 404 MODEL_NOT_AVAILABLE when its files are gone)
 *   GET  /api/model/manifest                  → ModelManifest | 404 MODEL_NOT_AVAILABLE
 *   GET  /models/<version>/<path>             → model files (immutable)
 *   GET  /images/<key>                        → stored images (immutable)
 *   Surveillance, indicators, alerts and privacy: see ./surveillance.ts (POST /api/detections,
 *   GET /api/surveillance/{map,series,table,table.csv}, GET /api/public/detections,
 *   GET /api/public/context-priors,
 *   GET /api/geo/{regions,mrc}, GET /api/indicators, /api/alerts/subscriptions,
 *   /api/privacy/{consents,export,delete}, GET /api/escalations/:id/location-access)
 */
export * from './common';
export * from './user';
export * from './fact-sheet';
export * from './library';
export * from './library-edit';
export * from './escalation';
export * from './lab';
export * from './bank';
export * from './model';
export * from './training';
export * from './surveillance';
export * from './health';
export * from './error-codes';
