import sharp from 'sharp';
import { expect } from 'vitest';
import type { App } from '../../src/app';

/** Every error response has this exact shape. */
export function expectError(
  res: { statusCode: number; json(): unknown },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
}

export async function register(
  app: App,
  email: string,
  profileKind: 'producer' | 'advisor' | 'gardener' = 'producer',
  password = 'correct-horse-battery',
) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password, profileKind },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; role: string };
}

/** Logs in and returns the Cookie header value to send back. */
export async function login(app: App, email: string, password = 'correct-horse-battery') {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
  });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'phytodiag_session');
  if (!cookie) throw new Error('no session cookie');
  return `phytodiag_session=${cookie.value}`;
}

export async function jpeg(width = 64, height = 48, colour = '#4a7f3a'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
}

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  type?: string;
}

/** Serialises multipart/form-data with the platform's FormData (real boundary handling). */
export async function multipart(
  parts: Part[],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const p of parts) {
    if (p.filename !== undefined) {
      form.append(
        p.name,
        new Blob([typeof p.value === 'string' ? p.value : new Uint8Array(p.value)], {
          type: p.type ?? 'image/jpeg',
        }),
        p.filename,
      );
    } else if (typeof p.value === 'string' && p.type) {
      form.append(p.name, new Blob([p.value], { type: p.type }));
    } else {
      form.append(p.name, typeof p.value === 'string' ? p.value : p.value.toString());
    }
  }
  const res = new Response(form);
  return {
    payload: Buffer.from(await res.arrayBuffer()),
    headers: { 'content-type': res.headers.get('content-type') ?? '' },
  };
}
