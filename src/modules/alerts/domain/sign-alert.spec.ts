import { createHmac } from 'node:crypto';
import { signAlert } from 'src/modules/alerts/domain/sign-alert';

describe(signAlert.name, () => {
  it('signs the timestamp and the body, so that neither can be changed', () => {
    const body = '{"event":"alert"}';
    const expected = createHmac('sha256', 'k'.repeat(32)).update(`1700000000.${body}`).digest('hex');
    expect(signAlert(body, 1_700_000_000, 'k'.repeat(32))).toBe(`sha256=${expected}`);
    expect(signAlert(body, 1_700_000_001, 'k'.repeat(32))).not.toBe(`sha256=${expected}`);
    expect(signAlert(`${body} `, 1_700_000_000, 'k'.repeat(32))).not.toBe(`sha256=${expected}`);
  });
});
