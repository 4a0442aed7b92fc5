import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import sharp from 'sharp';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, type Part } from '../helpers/http';
import { heicHeader, jpegClaiming, nested, pngBadCrc, pngBomb } from './bad-input-fixtures';
import { caseJson, createWorld, type World } from './world';

/** Tables a refused request must leave exactly as they were. */
const TABLES = [
  'users',
  'sessions',
  'escalations',
  'escalation_photos',
  'escalation_status_history',
  'escalation_answers',
  'bank_images',
  'bank_submissions',
  'escalation_messages',
  'library_entries',
];

interface BadCase {
  name: string;
  request: () => Promise<InjectOptions>;
  status: number;
  code: string;
  as?: 'producer' | 'agronomist' | 'specialist';
}

describe('bad-input battery: every refusal is a coded, localised 4xx that writes nothing', () => {
  let w: World;
  let jpg: Buffer;
  let png: Buffer;
  let caseId: string;

  beforeAll(async () => {
    w = await createWorld();
    // Noise, so that the scan data (not the header) is most of the file.
    const noise = Buffer.from(Array.from({ length: 160 * 120 * 3 }, (_, i) => (i * 7919) % 251));
    jpg = await sharp(noise, { raw: { width: 160, height: 120, channels: 3 } })
      .jpeg()
      .toBuffer();
    png = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#5a3' } })
      .png()
      .toBuffer();
    caseId = (await w.createCase()).id;
  });
  afterAll(() => w.t.close());

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      out[table] = (
        await w.t.app.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${table}`)
      ).n;
    }
    return out;
  };

  const upload =
    (photos: Part[], json: string = caseJson()) =>
    async (): Promise<InjectOptions> => {
      const { payload, headers } = await multipart([...photos, { name: 'case', value: json }]);
      return { method: 'POST', url: '/api/escalations', payload, headers };
    };
  const photo = (value: Buffer | string, filename = 'photo.jpg', type = 'image/jpeg'): Part => ({
    name: 'photo',
    value: typeof value === 'string' ? Buffer.from(value) : value,
    filename,
    type,
  });
  const json =
    (method: InjectOptions['method'], url: string, body: unknown, raw = false) =>
    async (): Promise<InjectOptions> => ({
      method,
      url,
      headers: { 'content-type': 'application/json' },
      payload: raw ? (body as string) : JSON.stringify(body),
    });
  const get = (url: string) => async (): Promise<InjectOptions> => ({ method: 'GET', url });
  const bankMeta = (over: Record<string, unknown>) =>
    JSON.stringify({
      classSlug: 'potato_late_blight',
      crop: 'Pomme de terre',
      authorCredit: 'Agronome',
      licence: 'CC-BY-4.0',
      ...over,
    });
  /** `count` copies of the test JPEG, read when the request is made (after beforeAll). */
  const bankUpload =
    (meta: string, count = 1) =>
    async (): Promise<InjectOptions> => {
      const photos = Array.from({ length: count }, () => photo(jpg));
      const { payload, headers } = await multipart([{ name: 'meta', value: meta }, ...photos]);
      return { method: 'POST', url: '/api/bank/submissions', payload, headers };
    };
  const threadMessage = (parts: Part[]) => async (): Promise<InjectOptions> => {
    const { payload, headers } = await multipart(parts);
    return { method: 'POST', url: `/api/escalations/${caseId}/messages`, payload, headers };
  };
  const reg = (over: Record<string, unknown>) =>
    json('POST', '/api/auth/register', {
      email: `new-${randomUUID()}@example.com`,
      password: 'a-long-unusual-passphrase',
      profileKind: 'producer',
      ...over,
    });
  const NUL = 'abc\u0000def';
  const SQLI = "' OR 1=1; DROP TABLE users; --";

  const cases: BadCase[] = [
    // --- Files that are not what they claim.
    {
      name: 'text file named .jpg',
      request: upload([photo('hello, not an image')]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: 'HTML named .png, declared image/png',
      request: upload([photo('<html><script>alert(1)</script></html>', 'x.png', 'image/png')]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: 'PDF named .jpg',
      request: upload([photo('%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF')]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: 'ZIP named .jpg',
      request: upload([photo(Buffer.from('504b0304140000000800', 'hex'))]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: 'ELF executable named .jpg',
      request: upload([photo(Buffer.concat([Buffer.from('7f454c46', 'hex'), Buffer.alloc(64)]))]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: '0-byte photo',
      request: upload([photo(Buffer.alloc(0))]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: 'a single byte',
      request: upload([photo(Buffer.from([0xff]))]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: 'JSON forged as image/jpeg',
      request: upload([photo('{"a":1}', 'a.jpg', 'image/jpeg')]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    // --- Damaged images.
    {
      name: 'JPEG truncated at half',
      request: async () => upload([photo(jpg.subarray(0, jpg.length >> 1))])(),
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    {
      name: 'JPEG truncated after 300 bytes',
      request: async () => upload([photo(jpg.subarray(0, 300))])(),
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    {
      name: 'PNG truncated at half',
      request: async () =>
        upload([photo(png.subarray(0, png.length >> 1), 'x.png', 'image/png')])(),
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    {
      name: 'PNG with a corrupted data chunk (bad CRC)',
      request: async () => upload([photo(pngBadCrc(png), 'x.png', 'image/png')])(),
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    {
      name: 'PNG signature only',
      request: upload([
        photo(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'x.png'),
      ]),
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    // --- Decompression bombs: tiny files, huge pixel counts.
    {
      name: 'PNG bomb 100000 × 100000',
      request: upload([photo(pngBomb(100_000, 100_000), 'b.png', 'image/png')]),
      status: 422,
      code: 'IMAGE_TOO_LARGE',
    },
    {
      name: 'PNG bomb 1 × 50 000 000',
      request: upload([photo(pngBomb(1, 50_000_000), 'b.png', 'image/png')]),
      status: 422,
      code: 'IMAGE_TOO_LARGE',
    },
    {
      name: 'PNG bomb 8000 × 6000 (48 MP)',
      request: upload([photo(pngBomb(8000, 6000), 'b.png', 'image/png')]),
      status: 422,
      code: 'IMAGE_TOO_LARGE',
    },
    {
      name: 'JPEG header claiming 65000 × 65000',
      request: async () => upload([photo(jpegClaiming(jpg, 65_000, 65_000))])(),
      status: 422,
      code: 'IMAGE_TOO_LARGE',
    },
    // --- Formats we refuse.
    {
      name: 'SVG with a script',
      request: upload([
        photo(
          '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>',
          'x.svg',
          'image/svg+xml',
        ),
      ]),
      status: 415,
      code: 'UNSUPPORTED_IMAGE_FORMAT',
    },
    {
      name: 'SVG without a size (sharp: « bad dimensions »)',
      request: upload([
        photo(
          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
          'x.svg',
          'image/svg+xml',
        ),
      ]),
      status: 415,
      code: 'UNSUPPORTED_IMAGE_FORMAT',
    },
    {
      name: 'SVG disguised as .jpg',
      request: upload([
        photo('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"/>'),
      ]),
      status: 415,
      code: 'UNSUPPORTED_IMAGE_FORMAT',
    },
    {
      name: 'GIF',
      request: async () =>
        upload([
          photo(
            await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
              .gif()
              .toBuffer(),
            'x.gif',
            'image/gif',
          ),
        ])(),
      status: 415,
      code: 'UNSUPPORTED_IMAGE_FORMAT',
    },
    {
      name: 'TIFF',
      request: async () =>
        upload([
          photo(
            await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
              .tiff()
              .toBuffer(),
            'x.tif',
            'image/tiff',
          ),
        ])(),
      status: 415,
      code: 'UNSUPPORTED_IMAGE_FORMAT',
    },
    {
      name: 'HEIC (iPhone) gets a clear unsupported-format error',
      request: upload([photo(heicHeader(), 'IMG_0001.HEIC', 'image/heic')]),
      status: 415,
      code: 'UNSUPPORTED_IMAGE_FORMAT',
    },
    // --- Path traversal in file names and keys.
    {
      name: 'traversal file name with a text payload',
      request: upload([photo('root:x:0:0', '../../../../etc/passwd')]),
      status: 415,
      code: 'NOT_AN_IMAGE',
    },
    {
      name: 'traversal file name, valid photo, invalid case',
      request: async () => upload([photo(jpg, '..\\..\\windows\\win.ini')], '{}')(),
      status: 400,
      code: 'INVALID_CASE',
    },
    {
      name: 'image key with encoded ../',
      request: get('/images/..%2F..%2Fpackage.json'),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'image key with dot segments',
      request: get('/images/%2e%2e%2f%2e%2e%2fapi%2fpackage.json'),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'image key with a NUL byte',
      request: get(`/images/${'a'.repeat(64)}.jpg%00.png`),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'image key too long for the router',
      request: get(`/images/${'a'.repeat(500)}.jpg`),
      status: 414,
      code: 'BAD_REQUEST',
    },
    {
      name: 'image key of 90 characters',
      request: get(`/images/${'a'.repeat(86)}.jpg`),
      status: 404,
      code: 'NOT_FOUND',
    },

    {
      name: 'malformed percent-encoding in a path',
      request: get('/api/library/%E0%A4%A'),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'model file outside its version',
      request: get('/models/v1/..%2F..%2F..%2Fpackage.json'),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'model version with traversal',
      request: get('/models/..%2F..%2Fapi/package.json'),
      status: 404,
      code: 'NOT_FOUND',
    },
    // --- Sizes.
    {
      name: 'JSON body over 1 MiB',
      request: json('POST', '/api/auth/login', { email: 'x'.repeat(1_100_000), password: 'p' }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'photo over 15 MiB',
      request: upload([photo(Buffer.alloc(16 * 1024 * 1024, 1))]),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'case field over 64 KiB',
      request: upload([photo(Buffer.alloc(10))], JSON.stringify({ pad: 'x'.repeat(70_000) })),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'JSON nested 100 000 deep',
      request: json('POST', '/api/auth/login', nested(100_000), true),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'JSON nested 40 deep in a field',
      request: json('POST', '/api/auth/login', `{"email":${nested(40)},"password":"x"}`, true),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'case JSON nested 100 deep',
      request: upload([photo(Buffer.alloc(10))], `{"clientId":${nested(100)}}`),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'huge JSON array body (900 KB)',
      request: json(
        'POST',
        '/api/auth/login',
        Array.from({ length: 150_000 }, () => 1),
      ),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    // --- Malformed JSON and content types.
    {
      name: 'malformed JSON',
      request: json('POST', '/api/auth/login', '{"email": "a@b.c",', true),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'empty JSON body',
      request: json('POST', '/api/auth/login', '', true),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'prototype poisoning (__proto__)',
      request: json(
        'POST',
        '/api/auth/login',
        '{"email":"a@b.ca","password":"x","__proto__":{"admin":true}}',
        true,
      ),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'constructor.prototype poisoning',
      request: json(
        'POST',
        '/api/auth/login',
        '{"email":"a@b.ca","password":"x","constructor":{"prototype":{"admin":true}}}',
        true,
      ),
      status: 400,
      code: 'INVALID_JSON',
    },
    {
      name: 'text/plain body',
      request: async () => ({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: 'email=a',
      }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'form-urlencoded body',
      request: async () => ({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=a&password=b',
      }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'XML body',
      request: async () => ({
        method: 'POST',
        url: '/api/auth/register',
        headers: { 'content-type': 'application/xml' },
        payload: '<a/>',
      }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      // A rural connection dropping mid-upload: the body ends inside a part.
      name: 'multipart body cut short inside a photo',
      request: async () => ({
        method: 'POST',
        url: '/api/escalations',
        headers: { 'content-type': 'multipart/form-data; boundary=XX' },
        payload:
          '--XX\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\nabc',
      }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'JSON body to the multipart route',
      request: json('POST', '/api/escalations', { case: {} }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    // --- Wrong types (never coerced).
    {
      name: 'register: email is a number',
      request: reg({ email: 12345 }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: email in a one-item array',
      request: reg({ email: ['x@example.com'] }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: password is a number',
      request: reg({ password: 123456789012345 }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: password is a boolean',
      request: reg({ password: true }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: unknown profileKind',
      request: reg({ profileKind: 'farmer' }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: extra role field (privilege escalation)',
      request: reg({ role: 'admin' }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: body is an array',
      request: json('POST', '/api/auth/register', [1, 2]),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: body is a string',
      request: json('POST', '/api/auth/register', 'hello'),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'register: body is null',
      request: json('POST', '/api/auth/register', null),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'login: password is an object',
      request: json('POST', '/api/auth/login', { email: 'a@b.ca', password: { $gt: '' } }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'profile: crops is a string',
      as: 'producer',
      request: json('PATCH', '/api/auth/me', { crops: 'Maïs' }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'profile: language "de"',
      as: 'producer',
      request: json('PATCH', '/api/auth/me', { language: 'de' }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'profile: regionCode "99"',
      as: 'producer',
      request: json('PATCH', '/api/auth/me', { regionCode: '99' }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'case: lat is a string',
      request: upload([photo(Buffer.alloc(10))], caseJson({ location: { lat: '46.8', lon: -71 } })),
      status: 400,
      code: 'INVALID_CASE',
    },
    {
      name: 'case: p above 1',
      request: upload(
        [photo(Buffer.alloc(10))],
        caseJson({
          prediction: {
            modelVersion: 'v',
            abstained: false,
            top: [{ slug: 'potato_late_blight', p: 7 }],
          },
        }),
      ),
      status: 400,
      code: 'INVALID_CASE',
    },
    {
      name: 'case: description over 5000 chars',
      request: upload([photo(Buffer.alloc(10))], caseJson({ description: 'é'.repeat(5001) })),
      status: 400,
      code: 'INVALID_CASE',
    },
    {
      name: 'case is a JSON array',
      request: upload([photo(Buffer.alloc(10))], '[]'),
      status: 400,
      code: 'INVALID_CASE',
    },
    // --- Unicode edge cases.
    {
      name: 'NUL in the register email',
      request: reg({ email: `a${NUL}@example.com` }),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'NUL in the register display name',
      request: reg({ displayName: NUL }),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'NUL in the login password',
      request: json('POST', '/api/auth/login', { email: 'a@b.ca', password: NUL }),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'NUL in a JSON key',
      request: json('POST', '/api/auth/login', { email: 'a@b.ca', password: 'x', [NUL]: 1 }),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'NUL in profile crops',
      as: 'producer',
      request: json('PATCH', '/api/auth/me', { crops: [NUL] }),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'NUL in the case description',
      request: upload([photo(Buffer.alloc(10))], caseJson({ description: NUL })),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'NUL in the case crop (valid photo)',
      request: async () => upload([photo(jpg)], caseJson({ crop: NUL }))(),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'NUL inside the prediction (jsonb)',
      request: async () =>
        upload(
          [photo(jpg)],
          caseJson({ prediction: { modelVersion: NUL, abstained: true, top: [] } }),
        )(),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'lone surrogate in the display name',
      request: reg({ displayName: 'a\ud800b' }),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'lone surrogate in the case description',
      request: async () => upload([photo(jpg)], caseJson({ description: '\udfffx' }))(),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: 'invalid UTF-8 bytes in the login body',
      request: async () => ({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: Buffer.concat([
          Buffer.from('{"email":"'),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from('@x.ca","password":"p"}'),
        ]),
      }),
      status: 401,
      code: 'INVALID_CREDENTIALS',
    },
    {
      name: 'display name of 101 emoji',
      request: reg({ displayName: '🌽'.repeat(101) }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    // --- Injection strings where they cannot be valid.
    {
      name: 'SQL injection as login email',
      request: json('POST', '/api/auth/login', { email: SQLI, password: SQLI }),
      status: 401,
      code: 'INVALID_CREDENTIALS',
    },
    {
      name: 'SQL injection as register email',
      request: reg({ email: SQLI }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'SQL injection as library slug',
      request: get(`/api/library/${encodeURIComponent(SQLI)}`),
      status: 404,
      code: 'UNKNOWN_SLUG',
    },
    {
      name: 'XSS as library slug',
      request: get(`/api/library/${encodeURIComponent('<script>alert(1)</script>')}`),
      status: 404,
      code: 'UNKNOWN_SLUG',
    },
    {
      name: 'SQL injection as case id',
      as: 'producer',
      request: get(`/api/escalations/${encodeURIComponent("1' OR '1'='1")}`),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'SQL injection as a prediction slug',
      request: async () =>
        upload(
          [photo(jpg)],
          caseJson({
            prediction: { modelVersion: 'v', abstained: false, top: [{ slug: SQLI, p: 0.5 }] },
          }),
        )(),
      status: 422,
      code: 'UNKNOWN_SLUG',
    },
    // --- Bad UUIDs and parameters: a path that can name no resource is not found (404).
    {
      name: 'case id not a UUID',
      as: 'producer',
      request: get('/api/escalations/not-a-uuid'),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'case id UUID with trailing junk',
      as: 'producer',
      request: get(`/api/escalations/${randomUUID()}x`),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'case id of the right length but not hex',
      as: 'producer',
      request: get('/api/escalations/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'unknown case UUID',
      as: 'producer',
      request: get(`/api/escalations/${randomUUID()}`),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'photo position negative',
      as: 'producer',
      request: async () => get(`/api/escalations/${caseId}/photos/-1`)(),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'photo position not a number',
      as: 'producer',
      request: async () => get(`/api/escalations/${caseId}/photos/abc`)(),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'photo size not allowed',
      as: 'producer',
      request: async () => get(`/api/escalations/${caseId}/photos/0?size=huge`)(),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'photo of a bad case id',
      as: 'producer',
      request: get('/api/escalations/../photos/0'),
      status: 404,
      code: 'NOT_FOUND',
    },
    // --- Query strings.
    {
      name: 'unknown query parameter on the library',
      request: get('/api/library?debug=1'),
      status: 400,
      code: 'UNKNOWN_QUERY_PARAMETER',
    },
    {
      name: 'unknown query parameter on health',
      request: get('/api/health?verbose=true'),
      status: 400,
      code: 'UNKNOWN_QUERY_PARAMETER',
    },
    {
      name: 'unknown query parameter on a case list',
      as: 'producer',
      request: get('/api/escalations?userId=someone-else'),
      status: 400,
      code: 'UNKNOWN_QUERY_PARAMETER',
    },
    {
      name: 'unsupported lang',
      request: get('/api/library?lang=de'),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'since not a number',
      request: get('/api/library/sync?since=abc'),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    // --- Values past what PostgreSQL stores, and other input that used to reach it as a 500.
    {
      name: 'multipart without a boundary',
      request: async () => ({
        method: 'POST',
        url: '/api/escalations',
        headers: { 'content-type': 'multipart/form-data' },
        payload: 'x',
      }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'library sync revision past 2^53',
      request: get('/api/library/sync?since=99999999999999999999'),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'public situation in year 0000',
      request: get('/api/public/detections?from=0000-01-03&to=0000-01-10'),
      status: 400,
      code: 'INVALID_PERIOD',
    },
    {
      name: 'bank photo taken on 30 February',
      as: 'agronomist',
      request: bankUpload(bankMeta({ date: '2026-02-30' })),
      status: 400,
      code: 'INVALID_SUBMISSION',
    },
    {
      name: 'bank photo taken in year 0000',
      as: 'agronomist',
      request: bankUpload(bankMeta({ date: '0000-01-01' })),
      status: 400,
      code: 'INVALID_SUBMISSION',
    },
    {
      name: 'lone surrogate in the bank credit',
      as: 'agronomist',
      request: bankUpload(bankMeta({ authorCredit: 'a\ud800b' })),
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    {
      name: '21 photos to the bank',
      as: 'agronomist',
      request: bankUpload(bankMeta({}), 21),
      status: 400,
      code: 'TOO_MANY_PHOTOS',
    },
    // --- Counts and lengths.
    {
      name: 'seven photos on a case',
      request: async () => upload(Array(7).fill(photo(jpg)) as Part[])(),
      status: 400,
      code: 'TOO_MANY_PHOTOS',
    },
    {
      name: 'seven photos on a thread message',
      request: async () =>
        threadMessage([
          { name: 'body', value: 'Voici' },
          ...(Array(7).fill(photo(jpg)) as Part[]),
        ])(),
      status: 400,
      code: 'TOO_MANY_PHOTOS',
    },
    {
      name: 'thread message with no text',
      request: async () => json('POST', `/api/escalations/${caseId}/messages`, {})(),
      status: 400,
      code: 'MESSAGE_REQUIRED',
    },
    {
      name: 'thread message of a photo and no text',
      request: async () => threadMessage([photo(jpg)])(),
      status: 400,
      code: 'MESSAGE_REQUIRED',
    },
    {
      name: 'thread message as text/plain',
      request: async () => ({
        method: 'POST',
        url: `/api/escalations/${caseId}/messages`,
        headers: { 'content-type': 'text/plain' },
        payload: 'Bonjour',
      }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'thread message over 5000 chars',
      request: async () =>
        json('POST', `/api/escalations/${caseId}/messages`, { body: 'x'.repeat(5001) })(),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'thread message text is a number',
      request: async () => json('POST', `/api/escalations/${caseId}/messages`, { body: 5 })(),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    // --- Spaces where a person must write something.
    {
      name: 'case crop of spaces only',
      request: async () => upload([photo(jpg)], caseJson({ crop: '   ' }))(),
      status: 400,
      code: 'INVALID_CASE',
    },
    {
      name: 'display name of spaces only',
      request: reg({ displayName: '   ' }),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'bank credit of spaces only',
      as: 'agronomist',
      request: bankUpload(bankMeta({ authorCredit: ' \t ' })),
      status: 400,
      code: 'INVALID_SUBMISSION',
    },
    {
      name: 'sample request instructions of spaces only',
      as: 'specialist',
      request: async () =>
        json('POST', `/api/escalations/${caseId}/sample-request`, { instructions: '  ' })(),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'answer message of spaces only',
      as: 'specialist',
      request: async () =>
        json('POST', `/api/escalations/${caseId}/answer`, {
          diagnosisSlug: 'other',
          diagnosisText: '   ',
          message: '   ',
        })(),
      status: 400,
      code: 'VALIDATION_ERROR',
    },
    {
      name: 'unknown route under /api',
      request: get('/api/../../etc/passwd'),
      status: 404,
      code: 'NOT_FOUND',
    },
  ];

  it(`has at least 60 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const before = await counts();
      const options = await c.request();
      const cookie = w.cookies[c.as ?? 'producer'];
      const res = await w.t.app.inject({
        ...options,
        headers: {
          ...(options.headers ?? {}),
          ...(cookie ? { cookie } : {}),
          'accept-language': 'en',
        },
      });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(c.status);
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe(c.code);
      expect(body.error.message.length).toBeGreaterThan(0);
      // Every placeholder filled: no « Au plus {max} photos ».
      expect(body.error.message).not.toMatch(/\{\w+\}/);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(await counts()).toEqual(before);
    });
  }

  it('messages follow the request language (fr and en) on a sample of refusals', async () => {
    const sample = [cases[0], cases[13], cases[45], cases[62], cases[88]].filter(
      (c): c is BadCase => c !== undefined,
    );
    for (const c of sample) {
      const messages: Record<string, string> = {};
      for (const lang of ['fr', 'en']) {
        const options = await c.request();
        const res = await w.t.app.inject({
          ...options,
          // Anonymous (a signed-in user's own language would win over the header).
          headers: { ...(options.headers ?? {}), 'accept-language': `${lang};q=1` },
        });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        messages[lang] = (res.json() as { error: { message: string } }).error.message;
      }
      expect(messages.fr, c.name).not.toBe(messages.en);
    }
  });

  it('requests the HTTP parser refuses get the same error shape, in French', async () => {
    await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = w.t.app.server.address() as AddressInfo;
    const raw = (request: string) =>
      new Promise<{ head: string; body: unknown }>((resolve, reject) => {
        let data = '';
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head = '', body = ''] = data.split('\r\n\r\n');
          resolve({ head, body: JSON.parse(body) as unknown });
        });
      });
    const refused = {
      error: { code: 'BAD_REQUEST', message: 'Requête invalide.' },
    };
    for (const [request, status] of [
      [
        'POST /api/escalations HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
        '400 Bad Request',
      ],
      ['GET /api/health HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n', '400 Bad Request'],
      [
        `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        '431 Request Header Fields Too Large',
      ],
    ] as const) {
      const res = await raw(request);
      expect(res.head.split('\r\n')[0]).toBe(`HTTP/1.1 ${status}`);
      expect(res.head).toMatch(/^content-type: application\/json; charset=utf-8$/im);
      expect(res.body).toEqual(refused);
    }
  });

  it('the server is still healthy after the battery', async () => {
    const res = await w.t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });
});
