import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_LAB_SAMPLE_ADDRESS, loadConfig } from '../src/config';

describe('loadConfig: the lab sample address', () => {
  it('takes LAB_SAMPLE_ADDRESS, lines split on newlines or a literal \\n', () => {
    const address = 'Laboratoire X\\n2700, rue Einstein\nQuébec (Québec)';
    expect(loadConfig({ LAB_SAMPLE_ADDRESS: address }).labSampleAddress).toBe(
      'Laboratoire X\n2700, rue Einstein\nQuébec (Québec)',
    );
  });

  it('shows a demonstration address outside production, and none in production', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).labSampleAddress).toBe(DEMO_LAB_SAMPLE_ADDRESS);
    expect(loadConfig({ NODE_ENV: 'production' }).labSampleAddress).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', LAB_SAMPLE_ADDRESS: 'Lab' }).labSampleAddress).toBe(
      'Lab',
    );
  });

  it('refuses an address longer than 500 characters', () => {
    expect(() => loadConfig({ LAB_SAMPLE_ADDRESS: 'x'.repeat(501) })).toThrow(ConfigError);
  });
});
