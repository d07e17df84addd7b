import { AlertRule, nextAlertStep, type AlertEpisode } from 'src/modules/alerts/domain/alert-rules';

describe(nextAlertStep.name, () => {
  const t0 = new Date('2026-12-07T10:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const episode = (raisedAt: Date | null): AlertEpisode => ({
    id: '1',
    rule: AlertRule.ErpCircuitOpen,
    startedAt: t0,
    raisedAt,
  });

  it.each([
    [
      'a condition that starts, with no hold, opens and raises at once',
      true,
      undefined,
      0,
      0,
      { step: 'open', raise: true },
    ],
    ['a condition that starts, with a hold, opens only', true, undefined, 0, 5, { step: 'open', raise: false }],
    ['a condition shorter than its hold raises nothing yet', true, episode(null), 4, 5, { step: 'none' }],
    ['a condition that lasted its hold raises', true, episode(null), 5, 5, { step: 'raise' }],
    ['a raised episode raises no more', true, episode(at(5)), 30, 5, { step: 'none' }],
    ['the end of a raised episode recovers', false, episode(at(5)), 31, 5, { step: 'recover' }],
    ['the end of an episode never raised is dropped silently', false, episode(null), 3, 5, { step: 'discard' }],
    ['no condition and no episode: nothing', false, undefined, 0, 5, { step: 'none' }],
  ] as const)('%s', (_name, holds, open, minutes, holdMinutes, expected) => {
    expect(nextAlertStep(holds, open, at(minutes), holdMinutes * 60_000)).toEqual(expected);
  });

  it('over a whole outage: one alert and one recovery', () => {
    let open: AlertEpisode | undefined;
    const sent: string[] = [];
    for (let minute = 0; minute <= 20; minute++) {
      const holds = minute >= 2 && minute < 12;
      const step = nextAlertStep(holds, open, at(minute), 5 * 60_000);
      if (step.step === 'open') {
        open = { id: '1', rule: AlertRule.ErpCircuitOpen, startedAt: at(minute), raisedAt: null };
      } else if (step.step === 'raise' && open !== undefined) {
        open = { ...open, raisedAt: at(minute) };
        sent.push(`alert@${minute}`);
      } else if (step.step === 'recover' || step.step === 'discard') {
        sent.push(step.step === 'recover' ? `recovery@${minute}` : 'discard');
        open = undefined;
      }
    }
    expect(sent).toEqual(['alert@7', 'recovery@12']);
  });
});
