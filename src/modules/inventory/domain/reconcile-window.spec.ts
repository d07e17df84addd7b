import {
  isWithinWindow,
  localMinuteOfDay,
  parseDailyWindow,
  shouldRunScheduledReconciliation,
} from 'src/modules/inventory/domain/reconcile-window';

const AMS = 'Europe/Amsterdam';

describe(parseDailyWindow.name, () => {
  it('parses HH:MM-HH:MM', () => {
    expect(parseDailyWindow('01:00-04:30')).toEqual({ startMinute: 60, endMinute: 270 });
    expect(parseDailyWindow('22:00-02:00')).toEqual({ startMinute: 1320, endMinute: 120 });
  });

  it.each(['1:00-4:00', '25:00-01:00', '01:00', '03:00-03:00', ''])('rejects %j', (text) => {
    expect(() => parseDailyWindow(text)).toThrow();
  });
});

describe(isWithinWindow.name, () => {
  const night = parseDailyWindow('01:00-04:00');

  it.each([
    // Winter (CET, UTC+1)
    ['2026-01-15T23:59:00Z', false], // 00:59 local
    ['2026-01-16T00:00:00Z', true], // 01:00 local, start inclusive
    ['2026-01-16T02:59:00Z', true], // 03:59 local
    ['2026-01-16T03:00:00Z', false], // 04:00 local, end exclusive
    // Summer (CEST, UTC+2): the same UTC instant is an hour later locally
    ['2026-07-15T23:30:00Z', true], // 01:30 local
    ['2026-07-16T01:59:00Z', true], // 03:59 local
    ['2026-07-16T02:00:00Z', false], // 04:00 local
    ['2026-07-16T00:30:00Z', true], // 02:30 local
    ['2026-01-16T00:30:00Z', true], // 01:30 local in winter
  ])('%s → %s in Europe/Amsterdam', (instant, expected) => {
    expect(isWithinWindow(new Date(instant), night, AMS)).toBe(expected);
  });

  it('follows the spring-forward night (29 March 2026: 02:00 CET jumps to 03:00 CEST)', () => {
    expect(localMinuteOfDay(new Date('2026-03-29T00:59:00Z'), AMS)).toBe(1 * 60 + 59);
    expect(localMinuteOfDay(new Date('2026-03-29T01:00:00Z'), AMS)).toBe(3 * 60);
    expect(isWithinWindow(new Date('2026-03-29T01:30:00Z'), night, AMS)).toBe(true); // 03:30 CEST
    expect(isWithinWindow(new Date('2026-03-29T02:00:00Z'), night, AMS)).toBe(false); // 04:00 CEST
  });

  it('follows the fall-back night (25 October 2026: 03:00 CEST falls back to 02:00 CET)', () => {
    expect(isWithinWindow(new Date('2026-10-24T23:00:00Z'), night, AMS)).toBe(true); // 01:00 CEST
    expect(isWithinWindow(new Date('2026-10-25T00:30:00Z'), night, AMS)).toBe(true); // 02:30 CEST
    expect(isWithinWindow(new Date('2026-10-25T01:30:00Z'), night, AMS)).toBe(true); // 02:30 CET (again)
    expect(isWithinWindow(new Date('2026-10-25T02:59:00Z'), night, AMS)).toBe(true); // 03:59 CET
    expect(isWithinWindow(new Date('2026-10-25T03:00:00Z'), night, AMS)).toBe(false); // 04:00 CET
  });

  it('handles a window across midnight', () => {
    const late = parseDailyWindow('22:00-02:00');
    expect(isWithinWindow(new Date('2026-01-15T21:30:00Z'), late, AMS)).toBe(true); // 22:30
    expect(isWithinWindow(new Date('2026-01-16T00:30:00Z'), late, AMS)).toBe(true); // 01:30
    expect(isWithinWindow(new Date('2026-01-16T01:00:00Z'), late, AMS)).toBe(false); // 02:00
    expect(isWithinWindow(new Date('2026-01-15T20:59:00Z'), late, AMS)).toBe(false); // 21:59
  });

  it('uses the shop time zone, not the machine one', () => {
    const instant = new Date('2026-01-16T07:00:00Z'); // 02:00 in New York (EST), 08:00 in Amsterdam
    expect(isWithinWindow(instant, night, 'America/New_York')).toBe(true);
    expect(isWithinWindow(instant, night, AMS)).toBe(false);
  });
});

describe(shouldRunScheduledReconciliation.name, () => {
  const night = parseDailyWindow('01:00-04:00');
  const inWindow = new Date('2026-01-16T01:00:00Z'); // 02:00 CET

  it('does nothing outside the window', () => {
    expect(shouldRunScheduledReconciliation(new Date('2026-01-16T12:00:00Z'), night, AMS, undefined)).toEqual({
      run: false,
      reason: 'outside the off-hours window',
    });
  });

  it('runs once per window occurrence', () => {
    expect(shouldRunScheduledReconciliation(inWindow, night, AMS, undefined)).toEqual({ run: true });
    const earlierTonight = new Date('2026-01-16T00:10:00Z');
    expect(shouldRunScheduledReconciliation(inWindow, night, AMS, earlierTonight)).toMatchObject({ run: false });
    const lastNight = new Date('2026-01-15T00:10:00Z');
    expect(shouldRunScheduledReconciliation(inWindow, night, AMS, lastNight)).toEqual({ run: true });
  });
});
