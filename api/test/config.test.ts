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

  it('in production, e-mail links need PUBLIC_URL; never a path-less mistake', () => {
    const smtp = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.ca:587' };
    expect(() => loadConfig(smtp)).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ ...smtp, PUBLIC_URL: 'https://phytodiag.example.ca/' }).publicUrl).toBe(
      'https://phytodiag.example.ca',
    );
    expect(() => loadConfig({ PUBLIC_URL: 'phytodiag.example.ca' })).toThrow(ConfigError);
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
  });

  it('TRUST_PROXY: a hop count or addresses; « true » (any client-written hop) refused in production', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY/,
    );
    expect(loadConfig({ NODE_ENV: 'production', TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });

  it('refuses an address longer than 500 characters', () => {
    expect(() => loadConfig({ LAB_SAMPLE_ADDRESS: 'x'.repeat(501) })).toThrow(ConfigError);
  });
});

describe('loadConfig: demo data', () => {
  it('seeds demo history and detections under npm start only, never in production', () => {
    const dev = loadConfig({ NODE_ENV: 'development' });
    expect([dev.demoHistory, dev.demoDetections]).toEqual([40, 20_000]);
    expect(loadConfig({ NODE_ENV: 'test' }).demoHistory).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', DEMO_HISTORY: '5' }).demoHistory).toBe(5);
    const prod = loadConfig({ NODE_ENV: 'production', DEMO_HISTORY: '5', DEMO_DETECTIONS: '9' });
    expect([prod.demoHistory, prod.demoDetections]).toEqual([0, 0]);
  });
});
