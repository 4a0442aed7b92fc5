import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import { createLabWorld, type LabWorld } from './lab-world';

// "Par téléphone" needs a number to call; the app asks for one only then, and only the owner
// and the lab see it.
describe('call-back phone number', () => {
  let w: LabWorld;
  beforeAll(async () => {
    w = await createLabWorld();
  });
  afterAll(() => w.close());

  const count = async () => {
    const res = await w.call('GET', '/api/escalations?limit=200', w.as.specialist);
    return (res.json() as { items: unknown[] }).items.length;
  };

  it('is required with a call back, in the user language, and nothing is created without it', async () => {
    const before = await count();
    for (const overrides of [
      { contactPreference: 'phone' },
      { contactPreference: 'phone', contactPhone: null },
      { contactPreference: 'phone', contactPhone: '       ' },
    ]) {
      const res = await w.createCase(w.as.producer, overrides);
      const body = res.json() as { error: { code: string; message: string } };
      // Blank (spaces only) fails the schema's pattern; absent or null is the service's rule.
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(['PHONE_REQUIRED', 'INVALID_CASE']).toContain(body.error.code);
      if (body.error.code === 'PHONE_REQUIRED')
        expect(body.error.message).toBe(
          'Indiquez le numéro de téléphone auquel le laboratoire peut vous joindre.',
        );
    }
    for (const contactPhone of [
      '12',
      'appelez-moi',
      '<script>1</script>',
      '5'.repeat(31),
      '418 555-0142 poste',
      '418 555-0142 poste 1234567',
      'poste 123',
    ]) {
      const res = await w.createCase(w.as.producer, { contactPreference: 'phone', contactPhone });
      expect(res.statusCode, contactPhone).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('INVALID_CASE');
    }
    expect(await count()).toBe(before);
  });

  it('is kept with a call back, shown to the owner and the lab, and dropped otherwise', async () => {
    const called = await w.newCase(w.as.producer, {
      contactPreference: 'phone',
      contactPhone: '+1 (418) 555-0199 ',
    });
    expect(called.contactPhone).toBe('+1 (418) 555-0199');
    const lab = (await w.call('GET', `/api/escalations/${called.id}`, w.as.specialist)).json();
    expect((lab as Escalation).contactPhone).toBe('+1 (418) 555-0199');
    const queue = (await w.call('GET', '/api/escalations', w.as.specialist)).json() as {
      items: Escalation[];
    };
    expect(queue.items.find((e) => e.id === called.id)?.contactPhone).toBe('+1 (418) 555-0199');
    // An office number with its extension, as offices give it.
    for (const phone of ['418 555-0142 poste 123', '418-555-0142 ext. 12', '4185550142 x7']) {
      const office = await w.newCase(w.as.producer, {
        contactPreference: 'phone',
        contactPhone: phone,
      });
      expect(office.contactPhone).toBe(phone);
    }
    // Someone else: not found at all.
    expect((await w.call('GET', `/api/escalations/${called.id}`, w.as.other)).statusCode).toBe(404);
    // Minimum data: a number given with another way of contact is not kept.
    const app = await w.newCase(w.as.producer, {
      contactPreference: 'app',
      contactPhone: '418 555-0100',
    });
    expect(app.contactPhone).toBeNull();
  });
});
