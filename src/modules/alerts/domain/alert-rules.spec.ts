import {
  AlertRule,
  nextAlertStep,
  type AlertChannelName,
  type AlertEpisode,
} from 'src/modules/alerts/domain/alert-rules';

describe(nextAlertStep.name, () => {
  const t0 = new Date('2026-12-07T10:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const both: AlertChannelName[] = ['webhook', 'email'];
  const episode = (
    raisedAt: Date | null,
    alertSentTo: AlertChannelName[] = raisedAt === null ? [] : both,
    recoverySentTo: AlertChannelName[] = [],
  ): AlertEpisode => ({
    id: '1',
    rule: AlertRule.ErpCircuitOpen,
    startedAt: t0,
    raisedAt,
    alertSentTo,
    recoverySentTo,
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
    [
      'a condition that lasted its hold raises on every channel',
      true,
      episode(null),
      5,
      5,
      { step: 'raise', channels: both },
    ],
    ['a raised episode raises no more', true, episode(at(5)), 30, 5, { step: 'none' }],
    [
      'a channel that failed the alert is sent it again, the other is not',
      true,
      episode(at(5), ['webhook']),
      6,
      5,
      { step: 'raise', channels: ['email'] },
    ],
    [
      'the end of a raised episode recovers where it was raised',
      false,
      episode(at(5), ['webhook']),
      31,
      5,
      { step: 'recover', channels: ['webhook'] },
    ],
    [
      'a channel that failed the recovery is sent it again, the other is not',
      false,
      episode(at(5), both, ['email']),
      32,
      5,
      { step: 'recover', channels: ['webhook'] },
    ],
    ['the end of an episode never raised is dropped silently', false, episode(null), 3, 5, { step: 'discard' }],
    ['no condition and no episode: nothing', false, undefined, 0, 5, { step: 'none' }],
  ] as const)('%s', (_name, holds, open, minutes, holdMinutes, expected) => {
    expect(nextAlertStep(holds, open, at(minutes), holdMinutes * 60_000, both)).toEqual(expected);
  });

  it('over a whole outage with a channel failing once: one alert and one recovery on each channel', () => {
    let open: AlertEpisode | undefined;
    const sent: string[] = [];
    let emailFailures = 1;
    for (let minute = 0; minute <= 20; minute++) {
      const holds = minute >= 2 && minute < 12;
      const step = nextAlertStep(holds, open, at(minute), 5 * 60_000, both);
      if (step.step === 'open') {
        open = episode(null);
        open = { ...open, startedAt: at(minute) };
      } else if (step.step === 'raise' && open !== undefined) {
        for (const channel of step.channels) {
          if (channel === 'email' && emailFailures-- > 0) {
            continue;
          }
          open = { ...open, raisedAt: open.raisedAt ?? at(minute), alertSentTo: [...open.alertSentTo, channel] };
          sent.push(`alert:${channel}@${minute}`);
        }
      } else if (step.step === 'recover' && open !== undefined) {
        for (const channel of step.channels) {
          open = { ...open, recoverySentTo: [...open.recoverySentTo, channel] };
          sent.push(`recovery:${channel}@${minute}`);
        }
        open = undefined;
      } else if (step.step === 'discard') {
        open = undefined;
      }
    }
    expect(sent).toEqual(['alert:webhook@7', 'alert:email@8', 'recovery:webhook@12', 'recovery:email@12']);
  });
});
