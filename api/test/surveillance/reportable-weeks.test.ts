import { describe, expect, it } from 'vitest';
import { SURVEILLANCE_LIMITS } from '../../src/contract/surveillance';
import { addWeeks } from '../../src/lib/iso-week';
import { reportableWeeks } from '../../src/services/detection-service';

// Week of Monday 2026-11-30; the next Monday is 2026-12-07.
const back = (monday: string) => addWeeks(monday, -SURVEILLANCE_LIMITS.maxWeeks);

describe('reportableWeeks: the weeks a device anywhere on Earth may report', () => {
  it('midweek, the window is this week and the maxWeeks before it', () => {
    expect(reportableWeeks(new Date('2026-12-02T15:00:00Z'))).toEqual({
      oldest: back('2026-11-30'),
      latest: '2026-11-30',
    });
  });

  it('from Sunday 10:00 UTC, next week is already current in UTC+14 (Kiribati)', () => {
    expect(reportableWeeks(new Date('2026-12-06T09:59:59Z')).latest).toBe('2026-11-30');
    expect(reportableWeeks(new Date('2026-12-06T10:00:00Z'))).toEqual({
      oldest: back('2026-11-30'),
      latest: '2026-12-07',
    });
  });

  it('until Monday 12:00 UTC, last week is still current in UTC−12, so its oldest week too', () => {
    expect(reportableWeeks(new Date('2026-12-07T11:59:59Z'))).toEqual({
      oldest: back('2026-11-30'),
      latest: '2026-12-07',
    });
    expect(reportableWeeks(new Date('2026-12-07T12:00:00Z')).oldest).toBe(back('2026-12-07'));
  });

  it('a Montreal device on Sunday evening (UTC−5) may still report its own oldest week', () => {
    // Sunday 22:00 in Montreal is Monday 03:00 UTC: UTC alone would already be in the next week.
    const { oldest } = reportableWeeks(new Date('2026-12-07T03:00:00Z'));
    expect(oldest).toBe(back('2026-11-30'));
  });
});
