import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate';
import { createTestApp, type TestApp } from './helpers/test-app';

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('created every table on an empty database at start', async () => {
    const applied = await t.app.db.query<{ name: string }>('SELECT name FROM schema_migrations');
    expect(applied.map((r) => r.name)).toEqual([
      '001_init.sql',
      '002_lab_workflow.sql',
      '003_model_gate.sql',
      '004_surveillance.sql',
      '005_alerts_privacy.sql',
      '006_library_change_notify.sql',
      '007_contact_phone.sql',
      '008_alert_crop_from_library.sql',
      '009_password_resets.sql',
      '010_detection_contributors.sql',
      '011_reply_waiting.sql',
      '012_device_report_quota.sql',
      '013_bank_resend_withdraw.sql',
      '014_bank_submission_client_id.sql',
      '015_password_links_given.sql',
      '016_library_entry_edits.sql',
      '017_canned_answer_edits.sql',
      '018_message_client_ids.sql',
      '019_message_written_at.sql',
      '020_case_update_mail.sql',
      '021_lab_use_only_unpublished.sql',
    ]);
    const tables = await t.app.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    expect(tables.map((r) => r.table_name).sort()).toEqual(
      [
        'alert_subscriptions',
        'bank_images',
        'bank_submissions',
        'canned_answers',
        'consent_events',
        'detections',
        'detection_weekly',
        'detection_weekly_region',
        'detection_weekly_reports',
        'escalation_answers',
        'escalation_message_photos',
        'escalation_ratings',
        'notifications',
        'training_requests',
        'escalation_messages',
        'escalation_photos',
        'escalation_status_history',
        'escalations',
        'library_entries',
        'library_entry_editions',
        'location_access_log',
        'model_versions',
        'password_links_given',
        'password_resets',
        'role_changes',
        'schema_migrations',
        'sessions',
        'users',
      ].sort(),
    );
  });

  it('is a no-op the second time', async () => {
    const result = await migrate(t.app.db);
    expect(result).toEqual({ applied: [], alreadyApplied: 21 });
  });

  it('enforces lower-case emails in the schema itself', async () => {
    await expect(
      t.app.db.query(`INSERT INTO users (email, password_hash) VALUES ('Upper@Example.com', 'x')`),
    ).rejects.toThrow();
  });

  it('008 gives alerts already sent the library name of their class crop', async () => {
    const db = t.app.db;
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash) VALUES ('alerte-008@example.org', 'x') RETURNING id`,
    );
    await db.query(`INSERT INTO library_entries (slug, kind, crop_fr, crop_en, name_fr, name_en)
                    VALUES ('m008_blight', 'disease', 'Pomme de terre', 'Potato', 'M', 'M')
                    ON CONFLICT (slug) DO NOTHING`);
    const alert = (slug: string) =>
      JSON.stringify({
        slug,
        regionCode: '03',
        crop: 'Patates – ferme Tremblay',
        week: '2026-11-30',
      });
    for (const slug of ['m008_blight', 'm008_gone'])
      await db.query(`INSERT INTO notifications (user_id, kind, alert) VALUES ($1, 'alert', $2)`, [
        user!.id,
        alert(slug),
      ]);
    await db.exec(
      readFileSync(
        new URL('../migrations/008_alert_crop_from_library.sql', import.meta.url),
        'utf8',
      ),
    );
    const rows = await db.query<{ slug: string; crop: string | null }>(
      `SELECT alert ->> 'slug' AS slug, alert ->> 'crop' AS crop FROM notifications
        WHERE user_id = $1 ORDER BY 1`,
      [user!.id],
    );
    expect(rows).toEqual([
      { slug: 'm008_blight', crop: 'Pomme de terre' },
      { slug: 'm008_gone', crop: null },
    ]);
  });

  it('021 gives a new revision to the entries that showed a lab-use-only photo', async () => {
    const db = t.app.db;
    for (const slug of ['m021_lab', 'm021_open'])
      await db.query(
        `INSERT INTO library_entries (slug, kind, crop_fr, crop_en, name_fr, name_en)
         VALUES ($1, 'disease', 'Maïs', 'Corn', 'M', 'M')`,
        [slug],
      );
    for (const [slug, licence, key] of [
      ['m021_lab', 'lab-use-only', 'a'.repeat(64)],
      ['m021_open', 'CC-BY-4.0', 'b'.repeat(64)],
    ] as const)
      await db.query(
        `INSERT INTO bank_images (class_slug, media_key, sha256, width, height, author_credit,
                                  licence, status, source)
         VALUES ($1, $2, $2, 10, 10, 'x', $3, 'validated', 'test')`,
        [slug, key, licence],
      );
    const revisions = async () =>
      Object.fromEntries(
        (
          await db.query<{ slug: string; revision: string }>(
            `SELECT slug, revision FROM library_entries WHERE slug LIKE 'm021_%'`,
          )
        ).map((r) => [r.slug, Number(r.revision)]),
      );
    const before = await revisions();
    await db.exec(
      readFileSync(
        new URL('../migrations/021_lab_use_only_unpublished.sql', import.meta.url),
        'utf8',
      ),
    );
    const after = await revisions();
    expect(after.m021_lab).toBeGreaterThan(before.m021_lab!);
    expect(after.m021_open).toBe(before.m021_open);
  });
});
