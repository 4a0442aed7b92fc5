import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BankSubmission,
  BankSubmissionCreated,
  BankSubmissionList,
  PhotoReuseResult,
  ToBankResult,
  TrainingRequestList,
} from '../../src/contract/bank';
import type { Escalation } from '../../src/contract/escalation';
import type { LibraryEntry, LibrarySync } from '../../src/contract/library';
import { errorMessage } from '../../src/errors';
import { expectError, login, multipart, register } from '../helpers/http';
import { createLabWorld, type LabWorld } from './lab-world';

describe('image bank enrichment', () => {
  let w: LabWorld;
  const meta = (overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      classSlug: 'potato_early_blight',
      crop: 'Pomme de terre',
      date: '2026-07-14',
      regionCode: '03',
      authorCredit: 'Agronome démo, Club agroenvironnemental',
      licence: 'CC-BY-4.0',
      ...overrides,
    });
  const submit = async (cookie: string, photos: Buffer[], metaJson = meta()) => {
    const { payload, headers } = await multipart([
      { name: 'meta', value: metaJson },
      ...photos.map((value, i) => ({ name: 'photo', value, filename: `b${i}.jpg` })),
    ]);
    return w.t.app.inject({
      method: 'POST',
      url: '/api/bank/submissions',
      payload,
      headers: { ...headers, cookie },
    });
  };
  /** An agronomist's submission of one new photo under a proposed new class. */
  const propose = async (proposedClass: Record<string, string>) =>
    submit(
      w.as.agronomist,
      [await w.photo()],
      meta({
        classSlug: undefined,
        proposedClass: { kind: 'disease', crop: 'Cerisier', ...proposedClass },
      }),
    );
  const libraryImages = async (slug: string) =>
    ((await w.call('GET', `/api/library/${slug}`)).json() as LibraryEntry).images;
  const queued = async () =>
    (
      (await w.call('GET', '/api/training-requests', w.as.admin)).json() as TrainingRequestList
    ).items.filter((r) => r.status === 'queued');

  beforeAll(async () => {
    w = await createLabWorld();
  });
  afterAll(() => w.close());

  it('agronomist submits → pending, invisible to the library; curator validates → reference photos + retraining queued', async () => {
    const before = await libraryImages('potato_early_blight');
    const { revision } = (await w.call('GET', '/api/library/sync')).json() as LibrarySync;
    const gps = await sharp(await w.photo())
      .withExif({
        IFD0: { Make: 'PhoneCo' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '46/1 48/1 0/1' },
      })
      .jpeg()
      .toBuffer();
    const res = await submit(w.as.agronomist, [gps, await w.photo(), await w.photo()]);
    expect(res.statusCode).toBe(201);
    const s = res.json() as BankSubmission;
    expect(s).toMatchObject({
      status: 'pending',
      classSlug: 'potato_early_blight',
      date: '2026-07-14',
      submitter: { name: 'Agronome démo' },
    });
    expect(s.images).toHaveLength(3);
    // Pending: not in the library, not public, visible to the curator and the submitter.
    expect(await libraryImages('potato_early_blight')).toEqual(before);
    const url = s.images[0]?.url ?? '';
    const img = await w.call('GET', url, w.as.specialist);
    expect(img.statusCode).toBe(200);
    const bytes = (img as unknown as { rawPayload: Buffer }).rawPayload;
    expect(await exifr.gps(bytes)).toBeUndefined();
    expect((await w.call('GET', url, w.as.agronomist)).statusCode).toBe(200);
    expectError(await w.call('GET', url, w.as.producer), 403, 'FORBIDDEN');
    expectError(await w.call('GET', url), 401, 'UNAUTHENTICATED');

    const pending = (
      await w.call('GET', '/api/bank/submissions?status=pending', w.as.specialist)
    ).json() as BankSubmissionList;
    expect(pending.items.map((i) => i.id)).toContain(s.id);

    // Validate two, reject one.
    const [a, b, c] = s.images.map((i) => i.id);
    const v = (
      await w.call('POST', `/api/bank/submissions/${s.id}/validate`, w.as.specialist, {
        imageIds: [a, b],
      })
    ).json() as BankSubmission;
    expect(v.status).toBe('pending');
    const r = (
      await w.call('POST', `/api/bank/submissions/${s.id}/reject`, w.as.admin, {
        reason: 'Floue',
        imageIds: [c],
      })
    ).json() as BankSubmission;
    expect(r.status).toBe('validated');
    expect(r.images.find((i) => i.id === c)).toMatchObject({
      status: 'rejected',
      rejectReason: 'Floue',
    });

    const after = await libraryImages('potato_early_blight');
    expect(after).toHaveLength(before.length + 2);
    expect(after.filter((i) => i.credit.startsWith('Agronome démo'))).toHaveLength(2);
    // Validated images are public; the rejected one never is.
    const validatedKey = after.find((i) => i.credit.startsWith('Agronome démo'))?.url ?? '';
    expect((await w.call('GET', validatedKey)).statusCode).toBe(200);
    // The library revision moved: offline clients fetch the new photos.
    const sync = (await w.call('GET', `/api/library/sync?since=${revision}`)).json() as LibrarySync;
    expect(sync.items.map((i) => i.slug)).toContain('potato_early_blight');
    // One queued retraining request counting the 2 new images.
    const q = await queued();
    expect(q).toHaveLength(1);
    expect(q[0]?.newImages).toBe(2);

    // A reviewed image is not re-decided silently.
    const again = (
      await w.call('POST', `/api/bank/submissions/${s.id}/validate`, w.as.specialist, {
        imageIds: [c],
      })
    ).json() as BankSubmission;
    expect(again.images.find((i) => i.id === c)?.status).toBe('rejected');
    // A photo of another submission, or none at all: not found, and nothing decided.
    const other = (await submit(w.as.agronomist, [await w.photo()])).json() as BankSubmission;
    const foreign = other.images[0]?.id ?? '';
    for (const [action, body] of [
      ['validate', { imageIds: [foreign] }],
      ['reject', { reason: 'Floue', imageIds: [foreign, a] }],
      ['validate', { imageIds: ['00000000-0000-4000-8000-000000000000'] }],
    ] as const) {
      expectError(
        await w.call('POST', `/api/bank/submissions/${s.id}/${action}`, w.as.specialist, body),
        404,
        'NOT_FOUND',
      );
    }
    const untouched = (
      await w.call('GET', `/api/bank/submissions/${other.id}`, w.as.specialist)
    ).json() as BankSubmission;
    expect(untouched.images[0]?.status).toBe('pending');
  });

  it('lab-use-only photos train the model but are never published', async () => {
    const slug = 'potato_early_blight';
    const before = await libraryImages(slug);
    const { revision } = (await w.call('GET', '/api/library/sync')).json() as LibrarySync;
    const credit = 'Photographe du labo seulement';
    const res = await submit(
      w.as.agronomist,
      [await w.photo()],
      meta({ authorCredit: credit, licence: 'lab-use-only' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as BankSubmission;
    const validated = await w.call('POST', `/api/bank/submissions/${s.id}/validate`, w.as.admin, {
      imageIds: s.images.map((i) => i.id),
    });
    expect((validated.json() as BankSubmission).status).toBe('validated');
    // The curator and the contributor still see it through the bank's own (checked) route.
    expect((await w.call('GET', s.images[0]!.url, w.as.agronomist)).statusCode).toBe(200);

    // Not in the library (gallery, icon, device sync), and its bytes are served to nobody.
    expect(await libraryImages(slug)).toEqual(before);
    const { items } = (
      await w.call('GET', `/api/library/sync?since=${revision}`)
    ).json() as LibrarySync;
    for (const entry of items) expect(entry.images.map((i) => i.credit)).not.toContain(credit);
    const [row] = await w.t.app.db.query<{ media_key: string }>(
      `SELECT media_key FROM bank_images WHERE submission_id = $1`,
      [s.id],
    );
    for (const file of [`${row!.media_key}.jpg`, `${row!.media_key}-320.webp`]) {
      expectError(await w.call('GET', `/images/${file}`), 404, 'NOT_FOUND');
      expectError(await w.call('GET', `/images/${file}`, w.as.admin), 404, 'NOT_FOUND');
    }
    // It is in the training set.
    const samples = await w.t.app.repos.trainingJobs.validatedSamples();
    expect(samples.map((x) => x.mediaKey)).toContain(row!.media_key);
  });

  it('a licence the bank does not know is refused, with where', async () => {
    const res = await submit(w.as.agronomist, [await w.photo()], meta({ licence: 'lab use only' }));
    expectError(res, 400, 'INVALID_SUBMISSION');
    expect(JSON.stringify(res.json())).toContain('/licence');
  });

  it('a proposed class becomes a library entry when validated; rejection keeps it out', async () => {
    const proposed = {
      slug: 'potato_colorado_beetle',
      nameFr: 'Doryphore de la pomme de terre',
      nameEn: 'Colorado potato beetle',
      kind: 'insect',
      // Typed as a proposer might: the library's potato entries translate it.
      crop: 'pomme de terre ',
    };
    const res = await propose(proposed);
    expect(res.statusCode).toBe(201);
    const s = res.json() as BankSubmission;
    expect(s).toMatchObject({ classSlug: null, proposedClass: proposed });
    expectError(await w.call('GET', '/api/library/potato_colorado_beetle'), 404, 'UNKNOWN_SLUG');
    await w.call('POST', `/api/bank/submissions/${s.id}/validate`, w.as.admin, {});
    const entry = (
      await w.call('GET', '/api/library/potato_colorado_beetle?lang=en')
    ).json() as LibraryEntry;
    expect(entry).toMatchObject({
      kind: 'insect',
      name: 'Colorado potato beetle',
      crop: 'Potato',
      factSheet: null,
    });
    expect(
      ((await w.call('GET', '/api/library/potato_colorado_beetle?lang=fr')).json() as LibraryEntry)
        .crop,
    ).toBe('Pomme de terre');
    expect(entry.images).toHaveLength(1);
    // One photo is too few to be trained on: the curators are told it waits, and for how many.
    const waiting = async () =>
      (
        (
          await w.call('GET', '/api/training-requests', w.as.specialist)
        ).json() as TrainingRequestList
      ).waitingClasses;
    expect(await waiting()).toContainEqual({
      slug: 'potato_colorado_beetle',
      name: { fr: 'Doryphore de la pomme de terre', en: 'Colorado potato beetle' },
      images: 1,
    });
    const more = (
      await submit(
        w.as.agronomist,
        [await w.photo(), await w.photo()],
        meta({
          classSlug: 'potato_colorado_beetle',
        }),
      )
    ).json() as BankSubmission;
    await w.call('POST', `/api/bank/submissions/${more.id}/validate`, w.as.admin, {});
    expect((await waiting()).map((c) => c.slug)).not.toContain('potato_colorado_beetle');

    const rejected = (
      await propose({ ...proposed, slug: 'weed_mystery', nameFr: 'Mystère', nameEn: 'Mystery' })
    ).json() as BankSubmission;
    const r = (
      await w.call('POST', `/api/bank/submissions/${rejected.id}/reject`, w.as.specialist, {
        reason: 'Identification incertaine',
      })
    ).json() as BankSubmission;
    expect(r.status).toBe('rejected');
    expectError(await w.call('GET', '/api/library/weed_mystery'), 404, 'UNKNOWN_SLUG');
  });

  it('a proposed class that the library already has is refused; a duplicate proposal joins the first', async () => {
    // The same name as an entry, in either language, whatever the case, accents or punctuation.
    const fr = await propose({
      slug: 'mildiou',
      nameFr: 'MILDIOU de la  pomme-de-terre',
      nameEn: 'Blight',
    });
    expectError(fr, 409, 'CLASS_EXISTS');
    expect((fr.json() as { error: { message: string } }).error.message).toContain(
      '«\u00a0Mildiou de la pomme de terre\u00a0» est déjà dans la bibliothèque',
    );
    expectError(
      await propose({ slug: 'mildiou', nameFr: 'Mildiou', nameEn: 'potato Late-Blight' }),
      409,
      'CLASS_EXISTS',
    );

    // Two proposals of one new class under different slugs, both sent before either is validated.
    const first = (
      await propose({ slug: 'black_knot', nameFr: 'Nodule noir', nameEn: 'Black knot' })
    ).json() as BankSubmission;
    const second = (
      await propose({ slug: 'nodule_noir', nameFr: 'Nodule noir', nameEn: 'Knot' })
    ).json() as BankSubmission;
    await w.call('POST', `/api/bank/submissions/${first.id}/validate`, w.as.admin, {});
    const merged = (
      await w.call('POST', `/api/bank/submissions/${second.id}/validate`, w.as.admin, {})
    ).json() as BankSubmission;
    expect(merged).toMatchObject({
      status: 'validated',
      classSlug: 'black_knot',
      proposedClass: null,
    });
    expectError(await w.call('GET', '/api/library/nodule_noir'), 404, 'UNKNOWN_SLUG');
    expect(await libraryImages('black_knot')).toHaveLength(2);
  });

  it('two proposals of one class validated at the same moment make one library entry', async () => {
    // Four classes, each proposed twice under two slugs; all eight validations at once (a race
    // that one pair alone does not always lose without the lock).
    const pairs = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const name = `Cloque ${n}`;
        const a = await propose({ slug: `leaf_curl_${n}`, nameFr: name, nameEn: `Leaf curl ${n}` });
        const b = await propose({ slug: `cloque_${n}`, nameFr: name, nameEn: `Curl ${n}` });
        return [a.json() as BankSubmission, b.json() as BankSubmission];
      }),
    );
    const validated = await Promise.all(
      pairs.flat().map(async (s) => {
        const r = await w.call('POST', `/api/bank/submissions/${s.id}/validate`, w.as.admin, {});
        expect(r.statusCode).toBe(200);
        return r.json() as BankSubmission;
      }),
    );
    for (const [k, n] of [1, 2, 3, 4].entries()) {
      expect(validated[2 * k].classSlug).toBe(validated[2 * k + 1].classSlug);
      const found = await Promise.all(
        [`leaf_curl_${n}`, `cloque_${n}`].map(
          async (slug) => (await w.call('GET', `/api/library/${slug}`)).statusCode,
        ),
      );
      expect(found.sort()).toEqual([200, 404]);
    }
  });

  it('a damaged photo in a batch is named, and nothing of the batch is kept', async () => {
    const [a, b, c] = [await w.photo(), await w.photo(), await w.photo()];
    const mine = async () =>
      (await w.call('GET', '/api/bank/submissions?mine=true', w.as.agronomist)).json();
    const before = await mine();
    const damaged = b.subarray(0, Math.floor(b.length / 2));
    const res = await submit(w.as.agronomist, [a, damaged, c]);
    expectError(res, 422, 'IMAGE_CORRUPT');
    // In the sender's language (the account's: French here).
    expect((res.json() as { error: { message: string } }).error.message).toBe(
      'Photo 2\u00a0: Image endommagée ou incomplète.',
    );
    expect(errorMessage('IMAGE_CORRUPT', 'en', { photo: 2 })).toBe(
      'Photo 2: The image is damaged or incomplete.',
    );
    expect(await mine()).toEqual(before);
  });

  it('refuses bad submissions', async () => {
    const p = await w.photo();
    expectError(await submit(w.as.agronomist, []), 400, 'PHOTO_REQUIRED');
    expectError(await submit(w.as.agronomist, [p], '{bad'), 400, 'INVALID_SUBMISSION');
    expectError(
      await submit(w.as.agronomist, [p], meta({ licence: undefined })),
      400,
      'INVALID_SUBMISSION',
    );
    expectError(
      await submit(
        w.as.agronomist,
        [p],
        meta({
          proposedClass: { slug: 'x_y_z', nameFr: 'a', nameEn: 'a', kind: 'weed', crop: 'c' },
        }),
      ),
      400,
      'INVALID_SUBMISSION',
    );
    expectError(
      await submit(w.as.agronomist, [p], meta({ classSlug: 'made_up' })),
      422,
      'UNKNOWN_SLUG',
    );
    expectError(
      await submit(
        w.as.agronomist,
        [p],
        meta({
          classSlug: undefined,
          proposedClass: {
            slug: 'potato_late_blight',
            nameFr: 'a',
            nameEn: 'a',
            kind: 'disease',
            crop: 'c',
          },
        }),
      ),
      409,
      'CLASS_EXISTS',
    );
    const twentyOne = await Promise.all(Array.from({ length: 21 }, () => w.photo()));
    expectError(await submit(w.as.agronomist, twentyOne), 400, 'TOO_MANY_PHOTOS');
    const ok = await submit(w.as.agronomist, [p]);
    expect(ok.statusCode).toBe(201);
    expect((ok.json() as BankSubmissionCreated).alreadyInBank).toEqual([]);
    const again = await submit(w.as.agronomist, [p]);
    expectError(again, 409, 'IMAGE_ALREADY_IN_BANK');
    expect((again.json() as { error: { message: string } }).error.message).toMatch(
      /aucune des photos/,
    );
  });

  it('a batch with photos the bank already has keeps the new ones and names the others', async () => {
    const known = await w.photo();
    expect((await submit(w.as.agronomist, [known])).statusCode).toBe(201);
    const [a, b] = [await w.photo(), await w.photo()];
    // Photo 1 is in the bank, photo 4 repeats photo 2.
    const res = await submit(w.as.agronomist, [known, a, b, a]);
    expect(res.statusCode).toBe(201);
    const created = res.json() as BankSubmissionCreated;
    expect(created.alreadyInBank).toEqual([1, 4]);
    expect(created.images).toHaveLength(2);
    const stored = (
      await w.call('GET', `/api/bank/submissions/${created.id}`, w.as.agronomist)
    ).json() as BankSubmission;
    expect(stored.images.map((i) => i.id).sort()).toEqual(created.images.map((i) => i.id).sort());
    // Nothing new at all: refused, and no empty submission left behind.
    const count = async () =>
      ((await w.call('GET', '/api/bank/submissions', w.as.agronomist)).json() as BankSubmissionList)
        .items.length;
    const before = await count();
    expectError(await submit(w.as.agronomist, [a, b]), 409, 'IMAGE_ALREADY_IN_BANK');
    expect(await count()).toBe(before);
  });

  it('a resend with the same clientId returns the submission it made and writes nothing more', async () => {
    const rows = async (clientId: string) =>
      (
        await w.t.app.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM bank_images i JOIN bank_submissions s
              ON s.id = i.submission_id WHERE s.client_id = $1`,
          [clientId],
        )
      )[0]?.n;
    const known = await w.photo();
    expect((await submit(w.as.agronomist, [known])).statusCode).toBe(201);
    const photos = [known, await w.photo(), await w.photo()];
    const clientId = randomUUID();
    const first = await submit(w.as.agronomist, photos, meta({ clientId }));
    expect(first.statusCode).toBe(201);
    const made = first.json() as BankSubmissionCreated;
    expect(made.alreadyInBank).toEqual([1]);
    // The answer got lost; the device sends the same upload again. Every photo is in the bank
    // now, yet this is no 409: it is the same submission, with the same photo left out.
    const again = await submit(w.as.agronomist, photos, meta({ clientId }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(made);
    expect(await rows(clientId)).toBe(2);

    // Ids are the device's: another account's upload with the same one is its own submission.
    const other = await submit(w.as.specialist, [await w.photo()], meta({ clientId }));
    expect(other.statusCode).toBe(201);
    expect((other.json() as BankSubmission).id).not.toBe(made.id);

    // Two copies at once (a page and a second tab): one submission, both answered with it.
    const raced = randomUUID();
    const pair = [await w.photo(), await w.photo()];
    const [x, y] = await Promise.all([
      submit(w.as.agronomist, pair, meta({ clientId: raced })),
      submit(w.as.agronomist, pair, meta({ clientId: raced })),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 201]);
    expect((x.json() as BankSubmission).id).toBe((y.json() as BankSubmission).id);
    expect(await rows(raced)).toBe(2);

    expectError(
      await submit(w.as.agronomist, [await w.photo()], meta({ clientId: 'not-a-uuid' })),
      400,
      'INVALID_SUBMISSION',
    );
  });

  it('agronomists see their own submissions only; curators see all', async () => {
    const mine = (
      await w.call('GET', '/api/bank/submissions', w.as.agronomist)
    ).json() as BankSubmissionList;
    const all = (
      await w.call('GET', '/api/bank/submissions', w.as.specialist)
    ).json() as BankSubmissionList;
    expect(mine.items.length).toBeGreaterThan(0);
    expect(all.items.length).toBeGreaterThanOrEqual(mine.items.length);
    const bySpecialist = (
      await submit(w.as.specialist, [await w.photo()])
    ).json() as BankSubmission;
    const mineAfter = (
      await w.call('GET', '/api/bank/submissions', w.as.agronomist)
    ).json() as BankSubmissionList;
    expect(mineAfter.items.map((i) => i.id)).not.toContain(bySpecialist.id);
    expectError(
      await w.call('GET', `/api/bank/submissions/${bySpecialist.id}`, w.as.agronomist),
      404,
      'NOT_FOUND',
    );
    const rejected = (
      await w.call('GET', '/api/bank/submissions?status=rejected', w.as.admin)
    ).json() as BankSubmissionList;
    expect(rejected.items.every((i) => i.status === 'rejected')).toBe(true);
    expect(rejected.items.length).toBeGreaterThan(0);
  });

  it('lists a submission’s photos in the order they were sent', async () => {
    const widths = [330, 300, 320, 310, 340];
    const photos = await Promise.all(
      widths.map((width, i) =>
        sharp({
          create: { width, height: 240, channels: 3, background: { r: 40 + i, g: 90, b: 60 } },
        })
          .jpeg()
          .toBuffer(),
      ),
    );
    const res = await submit(w.as.agronomist, photos);
    expect(res.statusCode, res.body).toBe(201);
    const listed = (
      await w.call(
        'GET',
        `/api/bank/submissions/${(res.json() as BankSubmission).id}`,
        w.as.specialist,
      )
    ).json() as BankSubmission;
    expect(listed.images.map((i) => i.width)).toEqual(widths);
  });

  it('a refused photo may be sent again; a pending or validated one may not', async () => {
    const [p, q] = [await w.photo(), await w.photo()];
    const first = (await submit(w.as.agronomist, [p, q])).json() as BankSubmission;
    // Listed in the order sent: the first is p (else q would be the one refused below).
    const [pid, qid] = first.images.map((i) => i.id);
    await w.call('POST', `/api/bank/submissions/${first.id}/reject`, w.as.specialist, {
      reason: 'Mauvaise étiquette : c’est du mildiou',
      imageIds: [pid],
    });
    // q is still pending: not accepted twice. p was refused: it comes back as a new pending photo.
    const res = await submit(w.as.agronomist, [p, q]);
    expect(res.statusCode, res.body).toBe(201);
    const second = res.json() as BankSubmissionCreated;
    expect(second.alreadyInBank).toEqual([2]);
    expect(second.images).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(second.images[0]?.id).not.toBe(pid);
    // The refusal keeps its history on the first submission.
    const kept = (
      await w.call('GET', `/api/bank/submissions/${first.id}`, w.as.agronomist)
    ).json() as BankSubmission;
    expect(kept.images.find((i) => i.id === pid)).toMatchObject({
      status: 'rejected',
      rejectReason: 'Mauvaise étiquette : c’est du mildiou',
      withdrawnAt: null,
    });
    // Validated, the resent photo is in the bank once; a third send is refused.
    await w.call('POST', `/api/bank/submissions/${second.id}/validate`, w.as.specialist, {});
    await w.call('POST', `/api/bank/submissions/${first.id}/validate`, w.as.specialist, {
      imageIds: [qid],
    });
    expectError(await submit(w.as.agronomist, [p, q]), 409, 'IMAGE_ALREADY_IN_BANK');
    const live = await w.t.app.db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM bank_images WHERE sha256 IN (
         SELECT sha256 FROM bank_images WHERE id = $1) AND status <> 'rejected'`,
      [second.images[0]?.id],
    );
    expect(Number(live[0]?.n)).toBe(1);
  });

  it('a curator withdraws validated photos: out of the library, reason to the author, retraining queued', async () => {
    const slug = 'potato_early_blight';
    const before = await libraryImages(slug);
    const s = (
      await submit(w.as.agronomist, [await w.photo(), await w.photo(), await w.photo()])
    ).json() as BankSubmission;
    const [a, b, c] = s.images.map((i) => i.id);
    await w.call('POST', `/api/bank/submissions/${s.id}/validate`, w.as.specialist, {
      imageIds: [a, b],
    });
    const validated = await libraryImages(slug);
    expect(validated).toHaveLength(before.length + 2);
    const publicUrls = validated
      .filter((i) => !before.some((x) => x.url === i.url))
      .map((i) => i.url);
    const { revision } = (await w.call('GET', '/api/library/sync')).json() as LibrarySync;
    // Drain the queue so the withdrawal's own request is seen.
    const runner = w.t.app.repos.trainingRequests;
    for (let r = await runner.claimNext(); r; r = await runner.claimNext()) {
      await runner.finish(r.id, { ok: true });
    }

    // Agronomists, even the author, cannot; a reason is required; a foreign photo is a 404.
    for (const cookie of [w.as.agronomist, w.as.producer]) {
      expectError(
        await w.call('POST', `/api/bank/submissions/${s.id}/withdraw`, cookie, { reason: 'x' }),
        403,
        'FORBIDDEN',
      );
    }
    expectError(
      await w.call('POST', `/api/bank/submissions/${s.id}/withdraw`, w.as.specialist, {
        reason: '  ',
      }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await w.call('POST', `/api/bank/submissions/${s.id}/withdraw`, w.as.specialist, {
        reason: 'x',
        imageIds: ['00000000-0000-4000-8000-000000000000'],
      }),
      404,
      'NOT_FOUND',
    );

    // Everything validated (a and b) leaves; pending c is not decided by a withdrawal.
    const res = await w.call('POST', `/api/bank/submissions/${s.id}/withdraw`, w.as.specialist, {
      reason: 'Mal étiquetées : brûlure hâtive sur tomate',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as BankSubmission;
    for (const id of [a, b]) {
      expect(after.images.find((i) => i.id === id)).toMatchObject({
        status: 'rejected',
        rejectReason: 'Mal étiquetées : brûlure hâtive sur tomate',
        withdrawnAt: expect.any(String) as unknown,
      });
    }
    expect(after.images.find((i) => i.id === c)?.status).toBe('pending');
    expect(await libraryImages(slug)).toEqual(before);
    for (const url of publicUrls) expect((await w.call('GET', url)).statusCode).toBe(404);
    const sync = (await w.call('GET', `/api/library/sync?since=${revision}`)).json() as LibrarySync;
    expect(sync.items.map((i) => i.slug)).toContain(slug);
    expect(await queued()).toEqual([
      expect.objectContaining({
        reason: `bank images withdrawn (${slug})`,
        newImages: 0,
        removedImages: 2,
      }),
    ]);
    // Its author reads the reason on their own list.
    const mine = (
      await w.call('GET', '/api/bank/submissions', w.as.agronomist)
    ).json() as BankSubmissionList;
    expect(mine.items.find((i) => i.id === s.id)?.images.find((i) => i.id === a)).toMatchObject({
      rejectReason: 'Mal étiquetées : brûlure hâtive sur tomate',
    });
    // Nothing left to withdraw: the same answer, and nothing queued again.
    await runner.finish((await runner.claimNext())?.id ?? '', { ok: true });
    const again = await w.call('POST', `/api/bank/submissions/${s.id}/withdraw`, w.as.admin, {
      reason: 'encore',
    });
    expect(again.statusCode).toBe(200);
    expect(await queued()).toEqual([]);
  });

  it('a photo validated then withdrawn before the retraining runs is counted both ways', async () => {
    const runner = w.t.app.repos.trainingRequests;
    for (let r = await runner.claimNext(); r; r = await runner.claimNext()) {
      await runner.finish(r.id, { ok: true });
    }
    const s = (
      await submit(w.as.agronomist, [await w.photo(), await w.photo()])
    ).json() as BankSubmission;
    const [a] = s.images.map((i) => i.id);
    const validated = await w.call(
      'POST',
      `/api/bank/submissions/${s.id}/validate`,
      w.as.specialist,
      {},
    );
    expect(validated.statusCode, validated.body).toBe(200);
    const withdrawn = await w.call(
      'POST',
      `/api/bank/submissions/${s.id}/withdraw`,
      w.as.specialist,
      { reason: 'Une photo floue', imageIds: [a] },
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    // One request: the curator's list says 2 came in and 1 went out, not « 2 nouvelles photos ».
    expect(await queued()).toEqual([expect.objectContaining({ newImages: 2, removedImages: 1 })]);
    const listed = (
      await w.call('GET', '/api/training-requests', w.as.specialist)
    ).json() as TrainingRequestList;
    expect(listed.items[0]).toMatchObject({ status: 'queued', newImages: 2, removedImages: 1 });
  });

  it('curators list their own submissions with mine=true', async () => {
    const own = (await submit(w.as.specialist, [await w.photo()])).json() as BankSubmission;
    const mine = (
      await w.call('GET', '/api/bank/submissions?mine=true', w.as.specialist)
    ).json() as BankSubmissionList;
    expect(mine.items.map((i) => i.id)).toContain(own.id);
    expect(mine.items.every((i) => i.submitter.id === own.submitter.id)).toBe(true);
    const all = (
      await w.call('GET', '/api/bank/submissions', w.as.specialist)
    ).json() as BankSubmissionList;
    expect(all.items.some((i) => i.submitter.id !== own.submitter.id)).toBe(true);
  });

  it('to-bank: only answered cases whose owner consented; photos become validated bank images', async () => {
    const answer = async (e: Escalation, slug = 'potato_late_blight') => {
      const r = await w.call('POST', `/api/escalations/${e.id}/answer`, w.as.specialist, {
        diagnosisSlug: slug,
        message: 'ok',
      });
      expect(r.statusCode).toBe(200);
    };
    const before = await libraryImages('potato_late_blight');
    const withoutConsent = await w.newCase(w.as.producer);
    await answer(withoutConsent);
    expectError(
      await w.call('POST', `/api/escalations/${withoutConsent.id}/to-bank`, w.as.specialist),
      409,
      'NO_PHOTO_REUSE_CONSENT',
    );
    const consented = await w.newCase(w.as.producer, { consentPhotoReuse: true });
    expect(consented.consentPhotoReuse).toBe(true);
    expectError(
      await w.call('POST', `/api/escalations/${consented.id}/to-bank`, w.as.specialist),
      409,
      'NOT_ANSWERED_YET',
    );
    await answer(consented);
    const queuedBefore = (await queued())[0]?.newImages ?? 0;
    const res = await w.call('POST', `/api/escalations/${consented.id}/to-bank`, w.as.admin);
    expect(res.statusCode).toBe(200);
    const result = res.json() as ToBankResult;
    expect(result).toMatchObject({ classSlug: 'potato_late_blight', added: 1, alreadyInBank: 0 });
    expect(result.trainingRequestId).not.toBeNull();
    expect((await queued())[0]?.newImages).toBe(queuedBefore + 1);
    expect(await libraryImages('potato_late_blight')).toHaveLength(before.length + 1);
    // Idempotent: a second call adds nothing.
    const again = (
      await w.call('POST', `/api/escalations/${consented.id}/to-bank`, w.as.admin)
    ).json() as ToBankResult;
    expect(again).toMatchObject({ added: 0, alreadyInBank: 1, trainingRequestId: null });

    const other = await w.newCase(w.as.producer, { consentPhotoReuse: true });
    await w.call('POST', `/api/escalations/${other.id}/answer`, w.as.specialist, {
      diagnosisSlug: 'other',
      diagnosisText: 'Grêle',
      message: 'Dégâts de grêle',
    });
    expectError(
      await w.call('POST', `/api/escalations/${other.id}/to-bank`, w.as.specialist),
      409,
      'NO_LIBRARY_DIAGNOSIS',
    );
  });

  it('the owner withdraws the photo-reuse consent: the photos leave the bank, a retraining is queued', async () => {
    const reuse = (id: string, cookie: string, consent: boolean) =>
      w.call('PUT', `/api/escalations/${id}/photo-reuse`, cookie, { consent });
    const before = await libraryImages('potato_early_blight');
    const c = await w.newCase(w.as.producer, { consentPhotoReuse: true });
    await w.call('POST', `/api/escalations/${c.id}/answer`, w.as.specialist, {
      diagnosisSlug: 'potato_early_blight',
      message: 'ok',
    });
    expect(
      (await w.call('POST', `/api/escalations/${c.id}/to-bank`, w.as.admin)).json(),
    ).toMatchObject({ added: 1 });
    const inLibrary = await libraryImages('potato_early_blight');
    expect(inLibrary).toHaveLength(before.length + 1);
    const added = inLibrary.find((i) => !before.some((b) => b.url === i.url));
    const photoUrl = added?.thumbUrl ?? '';
    const served = await w.t.app.inject({ url: photoUrl });
    expect(served.statusCode).toBe(200);
    // Shared caches keep it a day at most, then ask again with its ETag.
    expect(served.headers['cache-control']).toBe('public, max-age=86400');
    const etag = String(served.headers.etag);
    const revalidate = () => w.t.app.inject({ url: photoUrl, headers: { 'if-none-match': etag } });
    expect((await revalidate()).statusCode).toBe(304);

    // Only the owner decides: staff, who see the case, are refused; others do not see it.
    expectError(await reuse(c.id, w.as.other, false), 404, 'NOT_FOUND');
    for (const cookie of [w.as.specialist, w.as.admin]) {
      expectError(await reuse(c.id, cookie, false), 403, 'FORBIDDEN');
    }
    const res = await reuse(c.id, w.as.producer, false);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as PhotoReuseResult;
    expect(result).toMatchObject({ consentPhotoReuse: false, removedFromBank: 1 });
    expect(result.trainingRequestId).not.toBeNull();
    const request = (await queued()).find((r) => r.id === result.trainingRequestId);
    expect(request?.removedImages).toBeGreaterThanOrEqual(1);
    expect(await libraryImages('potato_early_blight')).toHaveLength(before.length);
    // A cache asking again no longer gets it: gone, as a key that never existed.
    expectError(await revalidate(), 404, 'NOT_FOUND');
    const inBank = await w.t.app.db.query('SELECT 1 FROM bank_images WHERE escalation_id = $1', [
      c.id,
    ]);
    expect(inBank).toHaveLength(0);
    // The lab can no longer put them back; the case itself and its photos stay the owner's.
    expectError(
      await w.call('POST', `/api/escalations/${c.id}/to-bank`, w.as.admin),
      409,
      'NO_PHOTO_REUSE_CONSENT',
    );
    const own = (
      await w.call('GET', `/api/escalations/${c.id}`, w.as.producer)
    ).json() as Escalation;
    expect(own.consentPhotoReuse).toBe(false);
    expect(own.photos).toHaveLength(1);
    expect((await w.call('GET', own.photos[0]!.url, w.as.producer)).statusCode).toBe(200);

    // Given again later: allowed, nothing removed, nothing queued.
    expect((await reuse(c.id, w.as.producer, true)).json()).toEqual({
      consentPhotoReuse: true,
      removedFromBank: 0,
      trainingRequestId: null,
    });
  });

  it('deleting the account takes the photos its owner let the lab bank out of the library', async () => {
    const { id: myId } = await register(w.t.app, 'departing@example.com');
    const me = await login(w.t.app, 'departing@example.com');
    const bankCase = async () => {
      const c = await w.newCase(me, { consentPhotoReuse: true });
      await w.call('POST', `/api/escalations/${c.id}/answer`, w.as.specialist, {
        diagnosisSlug: 'potato_early_blight',
        message: 'ok',
      });
      const res = await w.call('POST', `/api/escalations/${c.id}/to-bank`, w.as.admin);
      expect(res.json()).toMatchObject({ added: 1 });
      return c;
    };
    const before = await libraryImages('potato_early_blight');
    const withdrawn = await bankCase();
    await bankCase();
    const inLibrary = await libraryImages('potato_early_blight');
    expect(inLibrary).toHaveLength(before.length + 2);
    const kept = inLibrary.filter((i) => !before.some((b) => b.url === i.url));
    // The retraining those queued has run: the withdrawal below opens a request of its own.
    const repo = w.t.app.repos.trainingRequests;
    for (let r = await repo.claimNext(); r; r = await repo.claimNext())
      await repo.finish(r.id, { ok: true, result: { version: 'v-test' } });
    // One consent withdrawn first: the producer's own choice, not lab work.
    const reuse = await w.call('PUT', `/api/escalations/${withdrawn.id}/photo-reuse`, me, {
      consent: false,
    });
    expect(reuse.json()).toMatchObject({ removedFromBank: 1 });
    expect((await queued()).map((r) => r.removedImages)).toEqual([1]);

    const res = await w.call('POST', '/api/privacy/delete', me, {
      password: 'correct-horse-battery',
    });
    expect(res.statusCode, res.body).toBe(204);
    // Deleted, not anonymised: the withdrawal's retraining request is nobody's.
    const rows = await w.t.app.db.query('SELECT 1 FROM users WHERE id = $1', [myId]);
    expect(rows).toHaveLength(0);
    // Its banked photo left the library and its files, and the next model trains without it.
    expect(await libraryImages('potato_early_blight')).toEqual(before);
    for (const img of kept) expectError(await w.call('GET', img.url), 404, 'NOT_FOUND');
    expect((await queued()).map((r) => r.removedImages)).toEqual([2]);
  });

  it('the retraining queue can be claimed once by a runner (SKIP LOCKED) and finished', async () => {
    const repo = w.t.app.repos.trainingRequests;
    const [first, second] = await Promise.all([repo.claimNext(), repo.claimNext()]);
    const claimed = [first, second].filter((x) => x !== null);
    expect(claimed).toHaveLength(1);
    await repo.finish(claimed[0]?.id ?? '', { ok: true, result: { version: 'v2' } });
    expect(await repo.claimNext()).toBeNull();
    // A new validation opens a new queued request.
    const id = await repo.enqueue('test', { added: 3, removed: 0 }, null);
    expect(await queued()).toEqual([expect.objectContaining({ id, newImages: 3 })]);
  });
});
