import type { Queryable } from '../db/types';
import type { Language } from '../contract/common';
import type { ProfileKind, Role, User } from '../contract/user';

export interface UserRecord extends User {
  passwordHash: string;
}

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  display_name: string | null;
  profile_kind: ProfileKind;
  crops: string[];
  region_code: string | null;
  language: Language;
  mail_case_updates: boolean;
  created_at: Date;
}

const COLUMN_NAMES = [
  'id',
  'email',
  'password_hash',
  'role',
  'display_name',
  'profile_kind',
  'crops',
  'region_code',
  'language',
  'mail_case_updates',
  'created_at',
] as const;

/** The columns toUserRecord reads, optionally qualified by a table alias (`u.id, ...`). */
export function userColumns(alias?: string): string {
  return COLUMN_NAMES.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
}

const COLUMNS = userColumns();

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role,
    displayName: row.display_name,
    profileKind: row.profile_kind,
    crops: row.crops,
    regionCode: row.region_code,
    language: row.language,
    mailCaseUpdates: row.mail_case_updates,
    createdAt: row.created_at.toISOString(),
  };
}

/** The latest change of an account's role: when, by which admin (null on the command line). */
export interface RoleChangeRecord {
  at: string;
  byId: string | null;
  byEmail: string | null;
}

/** The latest password link an admin handed out for an account: when, by whom. */
export interface PasswordLinkRecord {
  at: string;
  byEmail: string;
}

export interface MemberRecord extends UserRecord {
  roleChange: RoleChangeRecord | null;
  passwordLink: PasswordLinkRecord | null;
}

interface MemberRow extends UserRow {
  role_changed_at: Date | null;
  role_changed_by: string | null;
  role_changed_by_email: string | null;
  link_given_at: Date | null;
  link_given_by_email: string | null;
}

const MEMBER_SELECT = `
  SELECT ${userColumns('u')}, rc.changed_at AS role_changed_at, rc.changed_by AS role_changed_by,
         b.email AS role_changed_by_email, pl.given_at AS link_given_at,
         g.email AS link_given_by_email
    FROM users u
    LEFT JOIN LATERAL (SELECT changed_at, changed_by FROM role_changes
                        WHERE user_id = u.id ORDER BY changed_at DESC, id DESC LIMIT 1) rc ON true
    LEFT JOIN users b ON b.id = rc.changed_by
    LEFT JOIN LATERAL (SELECT given_at, given_by FROM password_links_given
                        WHERE user_id = u.id ORDER BY given_at DESC, id DESC LIMIT 1) pl ON true
    LEFT JOIN users g ON g.id = pl.given_by`;

function toMemberRecord(row: MemberRow): MemberRecord {
  return {
    ...toUserRecord(row),
    roleChange: row.role_changed_at && {
      at: row.role_changed_at.toISOString(),
      byId: row.role_changed_by,
      byEmail: row.role_changed_by_email,
    },
    passwordLink:
      row.link_given_at && row.link_given_by_email !== null
        ? { at: row.link_given_at.toISOString(), byEmail: row.link_given_by_email }
        : null,
  };
}

export interface NewUser {
  email: string;
  passwordHash: string;
  role: Role;
  displayName: string | null;
  profileKind: ProfileKind;
  language: Language;
}

export interface ProfileChanges {
  displayName?: string;
  profileKind?: ProfileKind;
  crops?: string[];
  regionCode?: string | null;
  language?: Language;
  mailCaseUpdates?: boolean;
}

export function userRepository(db: Queryable) {
  return {
    async findByEmail(email: string): Promise<UserRecord | null> {
      const row = await db.maybeOne<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [
        email,
      ]);
      return row && toUserRecord(row);
    },

    async findById(id: string): Promise<UserRecord | null> {
      const row = await db.maybeOne<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return row && toUserRecord(row);
    },

    /**
     * Inside a transaction: holds the account's row until it ends, so two requests of one account
     * that check then write a per-account count (a quota) run one after the other.
     */
    async lockForUpdate(id: string): Promise<void> {
      await db.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
    },

    /** null when the email is taken (unique constraint, so safe under concurrency). */
    async insert(user: NewUser): Promise<UserRecord | null> {
      const row = await db.maybeOne<UserRow>(
        `INSERT INTO users (email, password_hash, role, display_name, profile_kind, language)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (email) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          user.email,
          user.passwordHash,
          user.role,
          user.displayName,
          user.profileKind,
          user.language,
        ],
      );
      return row && toUserRecord(row);
    },

    /**
     * Sets a new password hash and ends all the user's sessions, in one statement (atomic: no
     * window where the old password's sessions outlive the change). How many sessions ended.
     */
    async replacePassword(id: string, passwordHash: string): Promise<number> {
      const rows = await db.query<{ token_hash: string }>(
        `WITH changed AS (UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING id)
         DELETE FROM sessions WHERE user_id IN (SELECT id FROM changed) RETURNING token_hash`,
        [id, passwordHash],
      );
      return rows.length;
    },

    /**
     * Accounts for the team screen: whose e-mail or name contains `q` (any role), else every
     * non-producer one; `limit + 1` rows so the caller knows when more matched. Deleted accounts
     * left out. Each with its latest role change.
     */
    async listMembers(q: string | undefined, limit: number): Promise<MemberRecord[]> {
      const rows = await db.query<MemberRow>(
        `${MEMBER_SELECT}
          WHERE u.email NOT LIKE '%@phytodiag.invalid'
            AND ($1::text IS NULL AND u.role <> 'producer'
                 OR strpos(u.email, lower($1::text)) > 0
                 OR strpos(lower(coalesce(u.display_name, '')), lower($1::text)) > 0)
          ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'specialist' THEN 1
                               WHEN 'agronomist' THEN 2 ELSE 3 END, u.email
          LIMIT $2`,
        [q ?? null, limit + 1],
      );
      return rows.map(toMemberRecord);
    },

    async findMember(id: string): Promise<MemberRecord | null> {
      const row = await db.maybeOne<MemberRow>(`${MEMBER_SELECT} WHERE u.id = $1`, [id]);
      return row && toMemberRecord(row);
    },

    /**
     * Gives the account its role and, when it changes, records who did (`by`; null on the command
     * line) in role_changes, in one statement: no role changes unrecorded. `before` reads the
     * statement's snapshot: callers that may race serialise first (team-service, lockAdmins).
     */
    async setRole(id: string, role: Role, by: string | null): Promise<UserRecord | null> {
      const row = await db.maybeOne<UserRow>(
        `WITH before AS (SELECT role FROM users WHERE id = $1),
              changed AS (UPDATE users SET role = $2 WHERE id = $1 RETURNING ${COLUMNS}),
              logged AS (
                INSERT INTO role_changes (user_id, changed_by, from_role, to_role)
                SELECT changed.id, $3, before.role, changed.role FROM changed, before
                 WHERE before.role <> changed.role)
         SELECT * FROM changed`,
        [id, role, by],
      );
      return row && toUserRecord(row);
    },

    /** Inside a transaction: the admins, locked, so two demotions cannot both pass the check. */
    async lockAdmins(): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM users WHERE role = 'admin' AND email NOT LIKE '%@phytodiag.invalid'
          ORDER BY id FOR UPDATE`,
      );
      return rows.map((r) => r.id);
    },

    async updateProfile(id: string, changes: ProfileChanges): Promise<UserRecord> {
      // COALESCE keeps absent fields; region uses a flag because null is a real value there.
      const row = await db.one<UserRow>(
        `UPDATE users SET
           display_name = COALESCE($2, display_name),
           profile_kind = COALESCE($3, profile_kind),
           crops = COALESCE($4::text[], crops),
           region_code = CASE WHEN $5 THEN $6 ELSE region_code END,
           language = COALESCE($7, language),
           mail_case_updates = COALESCE($8, mail_case_updates)
         WHERE id = $1
         RETURNING ${COLUMNS}`,
        [
          id,
          changes.displayName ?? null,
          changes.profileKind ?? null,
          changes.crops ?? null,
          changes.regionCode !== undefined,
          changes.regionCode ?? null,
          changes.language ?? null,
          changes.mailCaseUpdates ?? null,
        ],
      );
      return toUserRecord(row);
    },
  };
}
export type UserRepository = ReturnType<typeof userRepository>;
