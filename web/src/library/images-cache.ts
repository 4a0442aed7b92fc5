/** The service worker's copy of the bank's public photos (`/images/…`, sw.ts). */
export const IMAGES_CACHE = 'phytodiag-images-v1';
