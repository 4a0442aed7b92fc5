export interface PhotoMeta {
  takenAt: string | null;
  gps: { lat: number; lon: number } | null;
}

/**
 * EXIF date and GPS, read from the ORIGINAL bytes (any re-encode would strip them). GPS is only
 * reported here; using it needs the user's explicit consent in the form. Never invented.
 */
export async function readPhotoMeta(blob: Blob): Promise<PhotoMeta> {
  try {
    const exifr = (await import('exifr')).default;
    const tags = (await exifr.parse(blob, {
      gps: true,
      pick: [
        'DateTimeOriginal',
        'GPSLatitude',
        'GPSLongitude',
        'GPSLatitudeRef',
        'GPSLongitudeRef',
      ],
    })) as { DateTimeOriginal?: Date; latitude?: number; longitude?: number } | undefined;
    const lat = tags?.latitude;
    const lon = tags?.longitude;
    const date = tags?.DateTimeOriginal;
    return {
      takenAt: date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
      gps:
        typeof lat === 'number' &&
        typeof lon === 'number' &&
        Number.isFinite(lat) &&
        Number.isFinite(lon)
          ? { lat, lon }
          : null,
    };
  } catch {
    return { takenAt: null, gps: null };
  }
}
