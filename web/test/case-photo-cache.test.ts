import { describe, expect, it } from 'vitest';
import type { MyCaseRow } from '../src/db/types';
import { casePhotoUrls, isCasePhotoPath, OFFLINE_CASES } from '../src/outbox/case-photo-cache';

const photo = (path: string) => ({
  url: path,
  thumbUrl: `${path}?size=thumb`,
  width: 100,
  height: 100,
});

function row(id: string, updatedAt: string, over: Partial<MyCaseRow> = {}): MyCaseRow {
  return {
    id,
    clientId: null,
    createdAt: updatedAt,
    updatedAt,
    status: 'received',
    crop: 'Maïs',
    description: '',
    answer: null,
    photos: [photo(`/api/escalations/${id}/photos/0`)],
    ...over,
  };
}

describe('case photos kept offline', () => {
  it('matches only the private photo routes (case and thread), not the JSON API', () => {
    expect(isCasePhotoPath('/api/escalations/abc/photos/0')).toBe(true);
    expect(isCasePhotoPath('/api/escalations/abc/messages/m1/photos/2')).toBe(true);
    expect(isCasePhotoPath('/api/escalations/abc')).toBe(false);
    expect(isCasePhotoPath('/api/escalations/abc/messages')).toBe(false);
    expect(isCasePhotoPath('/images/corn/1.webp')).toBe(false);
  });

  it('lists thumbnails and full photos of the most recent cases and their threads', () => {
    const thread = row('b', '2024-07-02T00:00:00.000Z', {
      messages: [
        {
          photos: [photo('/api/escalations/b/messages/m1/photos/0')],
        } as unknown as NonNullable<MyCaseRow['messages']>[number],
      ],
    });
    const urls = casePhotoUrls([row('a', '2024-07-01T00:00:00.000Z'), thread]);
    expect(urls).toEqual([
      '/api/escalations/b/photos/0?size=thumb',
      '/api/escalations/b/photos/0',
      '/api/escalations/b/messages/m1/photos/0?size=thumb',
      '/api/escalations/b/messages/m1/photos/0',
      '/api/escalations/a/photos/0?size=thumb',
      '/api/escalations/a/photos/0',
    ]);
    const many = Array.from({ length: OFFLINE_CASES + 5 }, (_, i) =>
      row(`c${i}`, new Date(Date.UTC(2024, 0, 1 + i)).toISOString()),
    );
    const kept = casePhotoUrls(many);
    expect(kept).toHaveLength(OFFLINE_CASES * 2);
    expect(kept).not.toContain('/api/escalations/c0/photos/0'); // the oldest
  });
});
