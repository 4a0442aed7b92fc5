// Generates the PWA icons (plain leaf on green) with sharp, so no binary art is hand-maintained.
// Maskable icons keep the drawing inside the 80 % safe zone.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
await mkdir(out, { recursive: true });

const svg = (size, maskable) => {
  const pad = maskable ? size * 0.2 : size * 0.08;
  const s = size - 2 * pad;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="${maskable ? 0 : size * 0.18}" fill="#0a5c1f"/>
  <g transform="translate(${pad} ${pad}) scale(${s / 100})">
    <path d="M20 80 C20 35 50 12 88 12 C88 52 64 82 20 80 Z" fill="#ffffff"/>
    <path d="M20 80 C40 60 58 44 78 24" stroke="#0a5c1f" stroke-width="5" fill="none" stroke-linecap="round"/>
    <circle cx="74" cy="74" r="14" fill="none" stroke="#ffbf00" stroke-width="7"/>
    <path d="M84 84 L96 96" stroke="#ffbf00" stroke-width="8" stroke-linecap="round"/>
  </g>
</svg>`);
};

const jobs = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon.png', 180, false],
];
for (const [name, size, maskable] of jobs) {
  await sharp(svg(size, maskable)).png({ compressionLevel: 9 }).toFile(join(out, name));
}
console.log(`icons written to ${out}`);
