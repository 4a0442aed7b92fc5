import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage } from '../src/errors';
import { frenchFirstOfMonth, frenchSpacing, withFrenchSpacing } from '../src/i18n/french-spacing';
import { createTestApp, type TestApp } from './helpers/test-app';

const NBSP = '\u00a0';
const NARROW = '\u202f';

describe('French spacing', () => {
  it('puts a no-break space before : and %, and inside « »', () => {
    expect(frenchSpacing('Hors ligne : envoi « plus tard » à 80 %')).toBe(
      `Hors ligne${NBSP}: envoi «${NBSP}plus tard${NBSP}» à 80${NBSP}%`,
    );
    // Several typed spaces become one; a space already no-break stays as it is.
    expect(frenchSpacing(`Note  : «  x  »`)).toBe(`Note${NBSP}: «${NBSP}x${NBSP}»`);
    expect(frenchSpacing(`Note${NBSP}: x`)).toBe(`Note${NBSP}: x`);
  });

  it('keeps ; ! ? unspaced, and where a text spaces them, never breaks before them', () => {
    expect(frenchSpacing('Envoyer? Oui!')).toBe('Envoyer? Oui!');
    expect(frenchSpacing('Envoyer ? Oui ; non !')).toBe(
      `Envoyer${NARROW}? Oui${NARROW}; non${NARROW}!`,
    );
  });

  it('leaves what is not French punctuation alone (times, links, placeholders)', () => {
    expect(frenchSpacing('à 10:30, https://x.ca/a:b, {{count}}')).toBe(
      'à 10:30, https://x.ca/a:b, {{count}}',
    );
  });

  it('writes the first of the month « 1er », and only the first', () => {
    const fr = (iso: string) =>
      frenchFirstOfMonth(
        new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(
          new Date(iso),
        ),
      );
    expect(fr('2026-12-01T12:00:00Z')).toBe('1er décembre 2026');
    expect(fr('2026-12-11T12:00:00Z')).toBe('11 décembre 2026');
    expect(fr('2026-12-21T12:00:00Z')).toBe('21 décembre 2026');
  });

  it('spaces every string of a message tree and keeps its shape', () => {
    const tree = { a: 'A : b', n: { list: ['« c »', 'd'], count: 2, none: null } };
    expect(withFrenchSpacing(tree)).toEqual({
      a: `A${NBSP}: b`,
      n: { list: [`«${NBSP}c${NBSP}»`, 'd'], count: 2, none: null },
    });
    expect(tree.a).toBe('A : b'); // the source is not changed
  });

  it('applies to the API’s French messages only, photo prefix included', () => {
    expect(errorMessage('UNKNOWN_QUERY_PARAMETER', 'fr', { name: 'x' })).toBe(
      `Paramètre de requête inconnu${NBSP}: x.`,
    );
    expect(errorMessage('IMAGE_CORRUPT', 'fr', { photo: 2 })).toBe(
      `Photo 2${NBSP}: Image endommagée ou incomplète.`,
    );
    expect(errorMessage('IMAGE_CORRUPT', 'en', { photo: 2 })).toBe(
      'Photo 2: The image is damaged or incomplete.',
    );
  });
});

describe('French spacing in answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('an error message in French reaches the client with its no-break space', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/health?verbose=true',
      headers: { 'accept-language': 'fr-CA' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain(`inconnu${NBSP}:`);
  });
});
