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
        'location_access_log',
        'model_versions',
        'schema_migrations',
        'sessions',
        'users',
      ].sort(),
    );
  });

  it('is a no-op the second time', async () => {
    const result = await migrate(t.app.db);
    expect(result).toEqual({ applied: [], alreadyApplied: 7 });
  });

  it('enforces lower-case emails in the schema itself', async () => {
    await expect(
      t.app.db.query(`INSERT INTO users (email, password_hash) VALUES ('Upper@Example.com', 'x')`),
    ).rejects.toThrow();
  });
});
