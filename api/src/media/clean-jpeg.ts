/**
 * Is this JPEG already what we would store: 8-bit Huffman-coded (baseline or progressive, which
 * every browser shows), a plain JFIF header at most, and NOTHING else: no EXIF (GPS, orientation),
 * ICC, XMP, IPTC, Adobe or comment segment, and no bytes after the end-of-image marker? The
 * PWA's camera makes exactly such files (canvas.toBlob). Storing them as they are, after a
 * decode proves the pixels are whole, spares a lossy re-encode of every photo (and most of its
 * CPU); anything else is re-encoded by sharp, which drops all metadata. Only the segment markers
 * are walked: an allowlist, so an unknown segment means "not clean", never "clean".
 */
export function isCleanJpeg(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
  let pos = 2;
  let frames = 0;
  for (;;) {
    // A marker: 0xFF (fill 0xFF bytes allowed before it), then its code.
    if (pos >= n || bytes[pos] !== 0xff) return false;
    while (pos < n && bytes[pos] === 0xff) pos++;
    if (pos >= n) return false;
    const marker = bytes[pos++] as number;
    // End of image: clean only if nothing follows it.
    if (marker === 0xd9) return frames === 1 && pos === n;
    if (pos + 2 > n) return false;
    const length = ((bytes[pos] as number) << 8) | (bytes[pos + 1] as number);
    const end = pos + length;
    if (length < 2 || end > n) return false;
    switch (marker) {
      case 0xe0: // APP0: the 16-byte JFIF header only (no thumbnail, no JFXX extension).
        if (length !== 16 || String.fromCharCode(...bytes.subarray(pos + 2, pos + 7)) !== 'JFIF\0')
          return false;
        break;
      case 0xc0: // SOF0 baseline and SOF2 progressive, 8-bit samples, 3 components (YCbCr).
      case 0xc2:
        if (bytes[pos + 2] !== 8 || bytes[pos + 7] !== 3 || ++frames > 1) return false;
        break;
      case 0xc4: // DHT, DQT, DRI: tables.
      case 0xdb:
      case 0xdd:
        break;
      case 0xda: {
        if (frames !== 1) return false;
        // Entropy-coded data follows the scan header, up to the next marker. Inside it, 0xFF is
        // followed by 0x00 (a stuffed byte) or by a restart marker 0xD0–0xD7.
        pos = end;
        for (;;) {
          const ff = bytes.indexOf(0xff, pos);
          if (ff < 0 || ff + 1 >= n) return false;
          const next = bytes[ff + 1] as number;
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
            pos = ff + 2;
            continue;
          }
          pos = ff;
          break;
        }
        continue;
      }
      default:
        return false;
    }
    pos = end;
  }
}
