import { Type, type Static } from '@sinclair/typebox';
import { FilledText, Language, RegionCode, Uuid } from './common';

/** Authorisation role. Register always creates `producer`; others are granted by an admin. */
export const Role = Type.Union([
  Type.Literal('producer'),
  Type.Literal('agronomist'),
  Type.Literal('specialist'),
  Type.Literal('admin'),
]);
export type Role = Static<typeof Role>;

/** Who the person is (drives fact-sheet wording and escalation priority), distinct from Role. */
export const ProfileKind = Type.Union([
  Type.Literal('producer'),
  Type.Literal('advisor'),
  Type.Literal('gardener'),
]);
export type ProfileKind = Static<typeof ProfileKind>;

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: Role,
  displayName: Type.Union([Type.String(), Type.Null()]),
  profileKind: ProfileKind,
  /** Free crop labels chosen by the user (e.g. "Pomme de terre"). */
  crops: Type.Array(Type.String()),
  regionCode: Type.Union([RegionCode, Type.Null()]),
  language: Language,
  /**
   * Whether the lab's response to the person's requests (answer, sample request, message) is
   * also e-mailed: one e-mail per request until it is read in the app.
   */
  mailCaseUpdates: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type User = Static<typeof User>;

/** Checked by the server with a localised PASSWORD_TOO_SHORT; the PWA can check it first. */
export const PASSWORD_MIN_LENGTH = 10;

export const RegisterBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    /** Rules (length ≥ PASSWORD_MIN_LENGTH, not the email, not common) → localised 400s. */
    password: Type.String({ minLength: 1, maxLength: 200 }),
    displayName: Type.Optional(FilledText(100)),
    profileKind: ProfileKind,
    language: Type.Optional(Language),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

/** POST /api/auth/password: the current password again, then the new one (same rules as register). */
export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

/** How many of the account's other sessions (other browsers, other devices) were ended. */
export const EndedSessions = Type.Object({ ended: Type.Integer({ minimum: 0 }) });
export type EndedSessions = Static<typeof EndedSessions>;

/** POST /api/auth/password-reset: « mot de passe oublié », by e-mail. */
export const PasswordResetRequestBody = Type.Object(
  { email: Type.String({ maxLength: 254 }) },
  { additionalProperties: false },
);
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

/**
 * Whether this server sends e-mail at all (SMTP_URL set): without it no link can come. The POST
 * answers it too, the same whether or not the address has an account (nothing to learn from it).
 */
export const PasswordResetInfo = Type.Object({ mailEnabled: Type.Boolean() });
export type PasswordResetInfo = Static<typeof PasswordResetInfo>;

/** POST /api/auth/password-reset/confirm: the e-mailed link's token and the new password. */
export const PasswordResetBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type PasswordResetBody = Static<typeof PasswordResetBody>;

/** PATCH /api/auth/me: every field optional; `regionCode: null` clears the region. */
export const Profile = Type.Object(
  {
    displayName: Type.Optional(FilledText(100)),
    profileKind: Type.Optional(ProfileKind),
    crops: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 30 }),
    ),
    regionCode: Type.Optional(Type.Union([RegionCode, Type.Null()])),
    language: Type.Optional(Language),
    mailCaseUpdates: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Profile = Static<typeof Profile>;

/**
 * GET /api/users (admins): the lab's team. Without `q`, every account with a role other than
 * producer; with `q`, accounts whose e-mail contains it (a person first makes their own account,
 * then an admin gives it its role). Deleted accounts never appear.
 */
export const TeamQuery = Type.Object(
  { q: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })) },
  { additionalProperties: false },
);
export type TeamQuery = Static<typeof TeamQuery>;

/**
 * The latest change of an account's role. `by`: the admin's e-mail; null when given on the
 * command line (`commandLine`) or by an account deleted since.
 */
export const RoleChange = Type.Object({
  at: Type.String({ format: 'date-time' }),
  by: Type.Union([Type.String(), Type.Null()]),
  commandLine: Type.Boolean(),
});
export type RoleChange = Static<typeof RoleChange>;

/**
 * The latest password link an admin handed out for the account. `by`: that admin's e-mail; null
 * when their account was deleted since.
 */
export const PasswordLinkGiven = Type.Object({
  at: Type.String({ format: 'date-time' }),
  by: Type.Union([Type.String(), Type.Null()]),
});
export type PasswordLinkGiven = Static<typeof PasswordLinkGiven>;

/** An account as the admin managing roles sees it: no profile, crops or region. */
export const TeamMember = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  createdAt: Type.String({ format: 'date-time' }),
  roleChange: Type.Union([RoleChange, Type.Null()]),
  passwordLink: Type.Union([PasswordLinkGiven, Type.Null()]),
});
export type TeamMember = Static<typeof TeamMember>;

export const TeamMemberList = Type.Object({
  items: Type.Array(TeamMember),
  /** true when more accounts matched `q` than are listed: the admin types more of the e-mail or name. */
  truncated: Type.Boolean(),
});
export type TeamMemberList = Static<typeof TeamMemberList>;

/**
 * POST /api/users/:id/password-reset (admins): a one-hour, one-time link to choose a new
 * password, for the admin to give the person (no mail server, a lost mailbox).
 */
export const ResetLink = Type.Object({
  link: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type ResetLink = Static<typeof ResetLink>;

/** PATCH /api/users/:id/role (admins). 409 LAST_ADMIN when it would leave no administrator. */
export const RoleBody = Type.Object({ role: Role }, { additionalProperties: false });
export type RoleBody = Static<typeof RoleBody>;

/**
 * Request header a device's queues send with each row: the id of the account that wrote it. A
 * session of another account is then not signed in for that request (401 SIGNED_IN_AS_ANOTHER),
 * so a shared device never files one person's case, photos or message under someone else's.
 */
export const ACCOUNT_HEADER = 'x-phytodiag-account';
