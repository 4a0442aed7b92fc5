import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors';
import { assertAcceptablePassword } from './password-policy';
import type { Repositories } from '../repositories';
import type { Mailer } from './mailer';
import { passwordResetMail } from './password-reset-mail';
import type { UserRecord } from '../repositories/user-repository';
import type { Profile, RegisterBody, ResetLink, Role, User } from '../contract/user';
import type { Language } from '../contract/common';

export const SESSION_COOKIE = 'phytodiag_session';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function toPublicUser(record: UserRecord): User {
  const { passwordHash: _omit, ...user } = record;
  return user;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** How long an e-mailed reset link works. */
const RESET_LINK_TTL_MS = 60 * 60_000;

/** Accounts anonymised at deletion (privacy-repository) have such an address: no reset for them. */
export const ANONYMISED_EMAIL = /@phytodiag\.invalid$/;

export function createAuthService(deps: {
  repos: Repositories;
  sessionTtlHours: number;
  mailer: Mailer;
  /** Where links in e-mails point (config PUBLIC_URL), never the request's Host. */
  publicUrl: string;
}) {
  const { repos, mailer } = deps;
  // Verifying against a real hash when the email is unknown keeps both failure paths equally
  // slow, so response time does not reveal which emails have an account.
  const dummyHash = hash('not-a-real-password-0000');

  async function startSession(
    record: UserRecord,
  ): Promise<{ user: User; token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + deps.sessionTtlHours * 3_600_000);
    await repos.sessions.insert(hashToken(token), record.id, expiresAt);
    return { user: toPublicUser(record), token, expiresAt };
  }

  /** A one-hour, one-time link; replaces any earlier one of the account. */
  /** `givenBy`: the admin handing it out (recorded); absent for the e-mailed link. */
  async function issueResetLink(userId: string, givenBy?: string): Promise<ResetLink> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + RESET_LINK_TTL_MS);
    if (givenBy === undefined) {
      await repos.passwordResets.replace(hashToken(token), userId, expiresAt);
    } else {
      await repos.passwordResets.replaceGivenBy(hashToken(token), userId, expiresAt, givenBy);
    }
    return { link: `${deps.publicUrl}/#/reset?token=${token}`, expiresAt: expiresAt.toISOString() };
  }

  return {
    /** Creates a producer account and signs it in (a new session, as login gives). */
    async register(
      body: RegisterBody,
      fallbackLanguage: Language,
    ): Promise<{ user: User; token: string; expiresAt: Date }> {
      assertAcceptablePassword(body.password, body.email);
      const record = await this.createUser({
        email: body.email,
        password: body.password,
        // Self-registration never grants a privileged role.
        role: 'producer',
        displayName: body.displayName ?? null,
        profileKind: body.profileKind,
        language: body.language ?? fallbackLanguage,
      });
      return startSession(record);
    },

    /** Also used by the demo seed (which may set a role). Throws EMAIL_TAKEN. */
    async createUser(input: {
      email: string;
      password: string;
      role: Role;
      displayName: string | null;
      profileKind: User['profileKind'];
      language: Language;
    }): Promise<UserRecord> {
      const created = await repos.users.insert({
        email: normaliseEmail(input.email),
        passwordHash: await hash(input.password),
        role: input.role,
        displayName: input.displayName,
        profileKind: input.profileKind,
        language: input.language,
      });
      if (!created) throw new AppError('EMAIL_TAKEN');
      return created;
    },

    async login(
      email: string,
      password: string,
    ): Promise<{ user: User; token: string; expiresAt: Date }> {
      const record = await repos.users.findByEmail(normaliseEmail(email));
      const ok = record
        ? await verify(record.passwordHash, password)
        : (await verify(await dummyHash, password), false);
      if (!record || !ok) throw new AppError('INVALID_CREDENTIALS');
      return startSession(record);
    },

    async logout(token: string): Promise<void> {
      await repos.sessions.delete(hashToken(token));
    },

    /**
     * Changes the password of a signed-in person who gives the current one again. Every session of
     * the account ends — whoever knew the old password is signed out everywhere — and the device
     * that asked gets a fresh session, so its old token is worthless too.
     */
    async changePassword(
      userId: string,
      currentPassword: string,
      newPassword: string,
    ): Promise<{ ended: number; token: string; expiresAt: Date }> {
      const record = await repos.users.findById(userId);
      if (!record || !(await verify(record.passwordHash, currentPassword)))
        throw new AppError('CURRENT_PASSWORD_WRONG');
      if (newPassword === currentPassword) throw new AppError('PASSWORD_UNCHANGED');
      assertAcceptablePassword(newPassword, record.email);
      const ended = await repos.users.replacePassword(userId, await hash(newPassword));
      const { token, expiresAt } = await startSession(record);
      // The asking device's own session is not "another" one.
      return { ended: Math.max(0, ended - 1), token, expiresAt };
    },

    /** « Sign out my other devices »: every session but the one asking. */
    async endOtherSessions(userId: string, currentToken: string): Promise<number> {
      return repos.sessions.deleteOthers(userId, hashToken(currentToken));
    },

    /**
     * « Mot de passe oublié » : e-mails a one-hour, one-time link to an existing account, and does
     * nothing otherwise — the caller answers the same either way. The token is in the link's
     * hash part (#/reset?token=…), which browsers never send to a server or in a Referer.
     */
    async requestPasswordReset(email: string): Promise<void> {
      const record = await repos.users.findByEmail(normaliseEmail(email));
      if (!record || ANONYMISED_EMAIL.test(record.email)) return;
      const { link } = await issueResetLink(record.id);
      void mailer.send(passwordResetMail(record.email, record.language, link));
    },

    /**
     * The same link, handed to an admin to give the person by phone: with no mail server (or a
     * mailbox lost), the only way back into an account short of making a new one, which would
     * leave its cases behind. The person's identity is the admin's to check.
     */
    async resetLinkFor(userId: string, givenBy: string): Promise<ResetLink> {
      const record = await repos.users.findById(userId);
      if (!record || ANONYMISED_EMAIL.test(record.email)) throw new AppError('NOT_FOUND');
      return issueResetLink(record.id, givenBy);
    },

    /**
     * Sets the password chosen from an e-mailed link, which then stops working; every session of
     * the account ends (whoever had the old password), and this device is signed in.
     */
    async resetPassword(
      token: string,
      newPassword: string,
    ): Promise<{ user: User; token: string; expiresAt: Date }> {
      const tokenHash = hashToken(token);
      const userId = await repos.passwordResets.findUserId(tokenHash);
      const record = userId ? await repos.users.findById(userId) : null;
      if (!record) throw new AppError('RESET_LINK_INVALID');
      // Checked before the link is used up: a refused password lets the person try another.
      assertAcceptablePassword(newPassword, record.email);
      const passwordHash = await hash(newPassword);
      if (!(await repos.passwordResets.consume(tokenHash, record.id)))
        throw new AppError('RESET_LINK_INVALID');
      await repos.users.replacePassword(record.id, passwordHash);
      return startSession(record);
    },

    async userForToken(token: string): Promise<User | null> {
      const record = await repos.sessions.findUser(hashToken(token));
      return record && toPublicUser(record);
    },

    async updateProfile(userId: string, changes: Profile): Promise<User> {
      return toPublicUser(await repos.users.updateProfile(userId, changes));
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
