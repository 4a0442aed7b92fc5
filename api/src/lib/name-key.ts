import { cropKey } from './crop-key';

/**
 * Comparison key of a class name: "Tavelure du pommier", "TAVELURE du Pommier " and
 * "tavelure-du-pommier" are one name. Case, accents, spacing and punctuation aside.
 */
export function nameKey(name: string): string {
  return cropKey(name.replace(/[^\p{L}\p{N}]+/gu, ' '));
}
