import { decideRiskHold } from 'src/modules/orders/domain/order-risk';

describe(decideRiskHold.name, () => {
  it('holds an order with a HIGH assessment, naming the highest level', () => {
    expect(decideRiskHold({ recommendation: 'INVESTIGATE', levels: ['LOW', 'HIGH', 'MEDIUM'] })).toEqual({
      decision: 'hold',
      riskLevel: 'HIGH',
      recommendation: 'INVESTIGATE',
      reason: 'high risk: risk level HIGH',
    });
  });

  it('holds an order Shopify recommends to cancel, whatever the levels', () => {
    expect(decideRiskHold({ recommendation: 'CANCEL', levels: ['MEDIUM'] })).toEqual({
      decision: 'hold',
      riskLevel: 'MEDIUM',
      recommendation: 'CANCEL',
      reason: 'high risk: recommendation CANCEL',
    });
  });

  it('holds on HIGH even while another assessment is still pending', () => {
    expect(decideRiskHold({ recommendation: null, levels: ['PENDING', 'HIGH'] })).toMatchObject({ decision: 'hold' });
  });

  it('waits while an assessment is pending and none is high', () => {
    expect(decideRiskHold({ recommendation: 'NONE', levels: ['LOW', 'PENDING'] })).toEqual({ decision: 'pending' });
  });

  it.each([
    [{ recommendation: 'ACCEPT', levels: ['LOW'] }, 'LOW'],
    [{ recommendation: 'INVESTIGATE', levels: ['MEDIUM', 'LOW'] }, 'MEDIUM'],
    [{ recommendation: null, levels: [] }, 'NONE'],
    [{ recommendation: 'NONE', levels: [null] }, 'NONE'],
  ])('passes %o (highest level %s)', (risk, riskLevel) => {
    expect(decideRiskHold(risk)).toEqual({ decision: 'pass', riskLevel, recommendation: risk.recommendation });
  });
});
