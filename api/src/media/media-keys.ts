/**
 * Stored images are content-addressed by the sha256 of the ORIGINAL upload. One base key (the
 * sha256 hex) has three variants; their file names are the public keys under /images/.
 */
export const VARIANTS = {
  full: { suffix: '', ext: 'jpg', contentType: 'image/jpeg' },
  thumb: { suffix: '-320', ext: 'webp', contentType: 'image/webp' },
  icon: { suffix: '-96', ext: 'webp', contentType: 'image/webp' },
} as const;
export type Variant = keyof typeof VARIANTS;

/** The only shape a public key may have: nothing else reaches the file system. */
const PUBLIC_KEY = /^([a-f0-9]{64})(-320|-96)?\.(jpg|webp)$/;

export function variantKey(baseKey: string, variant: Variant): string {
  const v = VARIANTS[variant];
  return `${baseKey}${v.suffix}.${v.ext}`;
}

export function imageUrl(baseKey: string, variant: Variant): string {
  return `/images/${variantKey(baseKey, variant)}`;
}

/** Parses a public key, or null when it is not exactly one of ours. */
export function parsePublicKey(key: string): { baseKey: string; variant: Variant } | null {
  const m = PUBLIC_KEY.exec(key);
  if (!m) return null;
  const [, baseKey, suffix = '', ext] = m;
  const variant = (Object.keys(VARIANTS) as Variant[]).find(
    (name) => VARIANTS[name].suffix === suffix && VARIANTS[name].ext === ext,
  );
  return variant && baseKey ? { baseKey, variant } : null;
}
