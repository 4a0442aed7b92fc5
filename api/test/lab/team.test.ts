import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ResetLink, TeamMember, TeamMemberList, User } from '../../src/contract/user';
import { expectError, login, register } from '../helpers/http';
import { createLabWorld, LAB_PASSWORD, type LabWorld } from './lab-world';

describe('the lab team: admins give accounts their role', () => {
  let w: LabWorld;
  const setRole = (cookie: string, id: string, role: string) =>
    w.t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}/role`,
      headers: { cookie },
      payload: { role },
    });
  const team = async (q?: string) => {
    const url = q === undefined ? '/api/users' : `/api/users?q=${encodeURIComponent(q)}`;
    const res = await w.call('GET', url, w.as.admin);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as TeamMemberList;
  };

  beforeAll(async () => {
    w = await createLabWorld();
  });
  afterAll(async () => w.close());

  it('lists the staff; finds any account by part of its e-mail', async () => {
    const staff = await team();
    expect(staff.items.map((m) => [m.email, m.role])).toEqual([
      ['admin@demo.local', 'admin'],
      ['specialiste@demo.local', 'specialist'],
      ['agronome@demo.local', 'agronomist'],
    ]);
    expect(Object.keys(staff.items[0]!).sort()).toEqual([
      'createdAt',
      'displayName',
      'email',
      'id',
      'passwordLink',
      'role',
      'roleChange',
    ]);
    const found = await team('OTHER@example');
    expect(found).toEqual({
      items: [expect.objectContaining({ email: 'other@example.com', role: 'producer' })],
      truncated: false,
    });
    expectError(await w.call('GET', '/api/users?q=ab', w.as.admin), 400, 'VALIDATION_ERROR');
  });

  it('finds an account by part of its name too, in any case', async () => {
    await register(w.t.app, 'm.tremblay@example.com');
    const cookie = await login(w.t.app, 'm.tremblay@example.com');
    const named = await w.t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie },
      payload: { displayName: 'Marie Éthier' },
    });
    expect(named.statusCode, named.body).toBe(200);
    for (const q of ['éthier', 'MARIE', 'tremblay']) {
      expect(
        (await team(q)).items.map((m) => m.email),
        q,
      ).toEqual(['m.tremblay@example.com']);
    }
    expect((await team('Gagnon')).items).toEqual([]);
  });

  it('a new colleague makes an account, the admin makes them a specialist, they reach the lab screens', async () => {
    const user = await register(w.t.app, 'nouvelle.specialiste@example.com');
    const cookie = await login(w.t.app, 'nouvelle.specialiste@example.com');
    expectError(await w.call('GET', '/api/models', cookie), 403, 'FORBIDDEN');
    // Only an admin gives roles.
    for (const c of [w.as.specialist, cookie]) {
      expectError(await setRole(c, user.id, 'admin'), 403, 'FORBIDDEN');
    }
    const res = await setRole(w.as.admin, user.id, 'specialist');
    expect(res.statusCode, res.body).toBe(200);
    const given = res.json() as TeamMember;
    expect(given).toMatchObject({
      email: 'nouvelle.specialiste@example.com',
      role: 'specialist',
      // Who gave it, and when, is recorded.
      roleChange: { by: 'admin@demo.local', commandLine: false },
    });
    expect(Date.now() - Date.parse(given.roleChange?.at ?? '')).toBeLessThan(60_000);
    // The same session, at its next request.
    const me = (await w.call('GET', '/api/auth/me', cookie)).json() as User;
    expect(me.role).toBe('specialist');
    const queue = await w.call('GET', '/api/models', cookie);
    expect(queue.statusCode).toBe(200);
    // Saving the same role again records nothing.
    expect((await setRole(w.as.admin, user.id, 'specialist')).statusCode).toBe(200);
    // And back to producer: the queue is closed again.
    expect((await setRole(w.as.admin, user.id, 'producer')).statusCode).toBe(200);
    expectError(await w.call('GET', '/api/models', cookie), 403, 'FORBIDDEN');
    const history = await w.t.app.db.query<{ from_role: string; to_role: string; by: string }>(
      `SELECT from_role, to_role, b.email AS by FROM role_changes c
         JOIN users b ON b.id = c.changed_by WHERE c.user_id = $1 ORDER BY c.id`,
      [user.id],
    );
    expect(history).toEqual([
      { from_role: 'producer', to_role: 'specialist', by: 'admin@demo.local' },
      { from_role: 'specialist', to_role: 'producer', by: 'admin@demo.local' },
    ]);
    // Two changes at once: each records the role the other left (a chain, no gap).
    await Promise.all([
      setRole(w.as.admin, user.id, 'agronomist'),
      setRole(w.as.admin, user.id, 'specialist'),
    ]);
    const chain = await w.t.app.db.query<{ from_role: string; to_role: string }>(
      'SELECT from_role, to_role FROM role_changes WHERE user_id = $1 ORDER BY id',
      [user.id],
    );
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i]?.from_role).toBe(chain[i - 1]?.to_role);
    }
    expect((await setRole(w.as.admin, user.id, 'producer')).statusCode).toBe(200);
    // The team list shows the latest change, found by e-mail even as a producer again.
    const [listed] = (await team('nouvelle.specialiste')).items;
    expect(listed).toMatchObject({ role: 'producer', roleChange: { by: 'admin@demo.local' } });
  });

  it('never leaves the lab without an administrator', async () => {
    const admin = (await team()).items.find((m) => m.role === 'admin') as TeamMember;
    const res = await setRole(w.as.admin, admin.id, 'specialist');
    expectError(res, 409, 'LAST_ADMIN');
    expect((res.json() as { error: { message: string } }).error.message).toBe(
      'C’est le dernier compte administrateur\u00a0: donnez d’abord ce rôle à quelqu’un d’autre.',
    );
    // Nor delete their account (the role goes to someone else first).
    const deleted = await w.call('POST', '/api/privacy/delete', w.as.admin, {
      password: LAB_PASSWORD,
    });
    expectError(deleted, 409, 'LAST_ADMIN');
    expect((await w.call('GET', '/api/auth/me', w.as.admin)).statusCode).toBe(200);
    // With a second admin, the first may step down.
    const second = await register(w.t.app, 'second.admin@example.com');
    expect((await setRole(w.as.admin, second.id, 'admin')).statusCode).toBe(200);
    const down = await setRole(w.as.admin, admin.id, 'specialist');
    expect(down.statusCode, down.body).toBe(200);
    expectError(await w.call('GET', '/api/users', w.as.admin), 403, 'FORBIDDEN');
    const back = await login(w.t.app, 'second.admin@example.com');
    expect((await setRole(back, admin.id, 'admin')).statusCode).toBe(200);
    // The second admin gave a role: deleting their account keeps it, anonymised, so the record
    // still points at an account; the list then says « a deleted account ».
    const gone = await w.call('POST', '/api/privacy/delete', back, {
      password: 'correct-horse-battery',
    });
    expect(gone.statusCode, gone.body).toBe(204);
    const restored = (await team()).items.find((m) => m.id === admin.id);
    expect(restored?.roleChange).toMatchObject({ by: null, commandLine: false });
  });

  it('an admin hands a forgotten-password link: one use, one hour, the latest only', async () => {
    const person = await register(w.t.app, 'sans.courriel@example.com');
    const oldSession = await login(w.t.app, 'sans.courriel@example.com');
    const issue = () => w.call('POST', `/api/users/${person.id}/password-reset`, w.as.admin);
    const first = await issue();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const second = (await issue()).json() as ResetLink;
    expect(second.link).toMatch(/^http:\/\/[^/]+\/#\/reset\?token=[\w-]{43}$/);
    const hours = (Date.parse(second.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(0.98);
    expect(hours).toBeLessThanOrEqual(1);
    const confirm = (link: string) =>
      w.call('POST', '/api/auth/password-reset/confirm', undefined, {
        token: new URL(link).hash.split('token=')[1],
        newPassword: 'un-nouveau-mot-de-passe',
      });
    // The first link was replaced by the second.
    expectError(await confirm((first.json() as ResetLink).link), 400, 'RESET_LINK_INVALID');
    expect((await confirm(second.link)).statusCode).toBe(200);
    expectError(await confirm(second.link), 400, 'RESET_LINK_INVALID');
    // The person is back in with the new password; the old session ended.
    await login(w.t.app, 'sans.courriel@example.com', 'un-nouveau-mot-de-passe');
    expectError(await w.call('GET', '/api/auth/me', oldSession), 401, 'UNAUTHENTICATED');
    // Unknown and deleted accounts have none.
    expectError(
      await w.call('POST', `/api/users/${randomUUID()}/password-reset`, w.as.admin),
      404,
      'NOT_FOUND',
    );
    const gone = await login(w.t.app, 'sans.courriel@example.com', 'un-nouveau-mot-de-passe');
    const deleted = await w.call('POST', '/api/privacy/delete', gone, {
      password: 'un-nouveau-mot-de-passe',
    });
    expect(deleted.statusCode).toBe(204);
    expectError(await issue(), 404, 'NOT_FOUND');
  });

  it('a link handed out is recorded: the card says when and by whom, even once that admin is gone', async () => {
    const person = await register(w.t.app, 'lien.donne@example.com');
    const given = async () => (await team('lien.donne')).items[0]?.passwordLink;
    expect(await given()).toBeNull();
    // A link sent by e-mail to the person's own address is theirs, not handed out: not listed.
    await w.call('POST', '/api/auth/password-reset', undefined, {
      email: 'lien.donne@example.com',
    });
    expect(await given()).toBeNull();
    const before = Date.now();
    expect(
      (await w.call('POST', `/api/users/${person.id}/password-reset`, w.as.admin)).statusCode,
    ).toBe(200);
    const first = await given();
    expect(first).toMatchObject({ by: 'admin@demo.local' });
    expect(Date.parse(first?.at ?? '')).toBeGreaterThanOrEqual(before - 1000);

    // A second admin gives one too, then deletes their account: kept, anonymised, so the record
    // still points at an account, and the card says « a deleted account ».
    const second = await register(w.t.app, 'admin.passager@example.com');
    expect((await setRole(w.as.admin, second.id, 'admin')).statusCode).toBe(200);
    const session = await login(w.t.app, 'admin.passager@example.com');
    expect(
      (await w.call('POST', `/api/users/${person.id}/password-reset`, session)).statusCode,
    ).toBe(200);
    expect(await given()).toMatchObject({ by: 'admin.passager@example.com' });
    const gone = await w.call('POST', '/api/privacy/delete', session, {
      password: 'correct-horse-battery',
    });
    expect(gone.statusCode, gone.body).toBe(204);
    expect(await given()).toMatchObject({ by: null });
    const rows = await w.t.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM password_links_given WHERE user_id = $1',
      [person.id],
    );
    expect(rows[0]?.n).toBe(2);
  });

  it('bad ids and roles are clear errors', async () => {
    expectError(
      await setRole(w.as.admin, '00000000-0000-4000-8000-000000000000', 'specialist'),
      404,
      'NOT_FOUND',
    );
    const other = (await team('other@example.com')).items[0]!;
    expectError(await setRole(w.as.admin, other.id, 'superuser'), 400, 'VALIDATION_ERROR');
    // A malformed id is an unknown one, as on every /:id route.
    expectError(await setRole(w.as.admin, 'not-a-uuid', 'specialist'), 404, 'NOT_FOUND');
  });
});
