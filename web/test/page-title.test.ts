import { describe, expect, it } from 'vitest';
import { pageTitle } from '../src/state/page-title';

describe('pageTitle', () => {
  it('names the screen first, then the app', () => {
    expect(pageTitle('Bibliothèque', 'Phytodiag')).toBe('Bibliothèque · Phytodiag');
    // Headings made of several elements: whitespace as a reader would say it.
    expect(pageTitle('  Mildiou de la\n   pomme de terre ', 'Phytodiag')).toBe(
      'Mildiou de la pomme de terre · Phytodiag',
    );
  });

  it('is the app name alone with no heading, or when the heading is the app name', () => {
    expect(pageTitle(undefined, 'Phytodiag')).toBe('Phytodiag');
    expect(pageTitle('   ', 'Phytodiag')).toBe('Phytodiag');
    expect(pageTitle('Phytodiag', 'Phytodiag')).toBe('Phytodiag');
  });
});
