import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { App } from '../../src/app';
import { multipart } from '../helpers/http';
import { REAL_IMAGEBANK } from '../helpers/image-bank';

/** The real bank's photos of `slug`, sorted (the tests pick slices the seeded bank did not use). */
export async function realImages(slug: string): Promise<string[]> {
  return (await readdir(join(REAL_IMAGEBANK, slug))).filter((f) => f.endsWith('.jpg')).sort();
}

/**
 * An agronomist submits real photos of `slug`; a specialist validates them all (which queues a
 * training request in the same transaction).
 */
export async function submitAndValidate(
  app: App,
  cookies: { agronomist: string; specialist: string },
  slug: string,
  files: string[],
): Promise<void> {
  const photos = await Promise.all(files.map((f) => readFile(join(REAL_IMAGEBANK, slug, f))));
  const { payload, headers } = await multipart([
    {
      name: 'meta',
      value: JSON.stringify({
        classSlug: slug,
        crop: 'Maïs',
        authorCredit: 'Agronome démo',
        licence: 'CC-BY-4.0',
      }),
    },
    ...photos.map((value, i) => ({ name: 'photo', value, filename: `p${i}.jpg` })),
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/bank/submissions',
    payload,
    headers: { ...headers, cookie: cookies.agronomist },
  });
  expect(res.statusCode).toBe(201);
  const { id } = res.json() as { id: string };
  const v = await app.inject({
    method: 'POST',
    url: `/api/bank/submissions/${id}/validate`,
    payload: {},
    headers: { cookie: cookies.specialist },
  });
  expect(v.statusCode).toBe(200);
}
