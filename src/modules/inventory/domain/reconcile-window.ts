/** @description A daily off-hours window in the shop's local time, `HH:MM-HH:MM`; it may cross midnight. */
export interface DailyWindow {
  /** Minutes after local midnight. */
  startMinute: number;
  endMinute: number;
}

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export const DAILY_WINDOW_PATTERN = WINDOW;

export function parseDailyWindow(text: string): DailyWindow {
  const match = WINDOW.exec(text.trim());
  if (match === null) {
    throw new Error(`not a HH:MM-HH:MM window: ${text}`);
  }
  const startMinute = Number(match[1]) * 60 + Number(match[2]);
  const endMinute = Number(match[3]) * 60 + Number(match[4]);
  if (startMinute === endMinute) {
    throw new Error(`empty window: ${text}`);
  }
  return { startMinute, endMinute };
}

/** Minutes after local midnight of `instant` in `timeZone` (IANA), DST included (Intl does the offset maths). */
export function localMinuteOfDay(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour * 60 + minute;
}

/** Whether `instant` falls inside the window in the shop's time zone (start inclusive, end exclusive). */
export function isWithinWindow(instant: Date, window: DailyWindow, timeZone: string): boolean {
  const minute = localMinuteOfDay(instant, timeZone);
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
}

/** Length of the window in minutes of wall-clock time. */
export function windowLengthMinutes(window: DailyWindow): number {
  return (window.endMinute - window.startMinute + 24 * 60) % (24 * 60);
}

/**
 * Whether the scheduled (repeatable) reconciliation should run now: only inside the window, and once per window
 * (a run completed less than one window length ago belongs to this window's occurrence).
 */
export function shouldRunScheduledReconciliation(
  now: Date,
  window: DailyWindow,
  timeZone: string,
  lastCompletedAt: Date | undefined,
): { run: true } | { run: false; reason: string } {
  if (!isWithinWindow(now, window, timeZone)) {
    return { run: false, reason: 'outside the off-hours window' };
  }
  if (
    lastCompletedAt !== undefined &&
    now.getTime() - lastCompletedAt.getTime() < windowLengthMinutes(window) * 60_000
  ) {
    return { run: false, reason: 'already reconciled in this window' };
  }
  return { run: true };
}
