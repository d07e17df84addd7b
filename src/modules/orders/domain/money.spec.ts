import {
  addMoney,
  compareMoney,
  decimalPlaces,
  fromUnits,
  isDecimalString,
  multiplyMoney,
  normaliseMoney,
  prorateMoney,
  subtractMoney,
  sumMoney,
  toUnits,
} from 'src/modules/orders/domain/money';

describe(isDecimalString.name, () => {
  it.each(['0', '12', '12.5', '44.50', '0.0125', '-3.10', '007.00'])('accepts %s', (value) => {
    expect(isDecimalString(value)).toBe(true);
  });

  it.each(['', '1.', '.5', '1.23456', '1e3', ' 1.00', '1,00', 'NaN', '+1'])('rejects %j', (value) => {
    expect(isDecimalString(value)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isDecimalString(44.5)).toBe(false);
    expect(isDecimalString(null)).toBe(false);
  });
});

describe(toUnits.name, () => {
  it('reads amounts as exact 1/10 000 units', () => {
    expect(toUnits('44.50')).toBe(445_000n);
    expect(toUnits('0.0001')).toBe(1n);
    expect(toUnits('-1.5')).toBe(-15_000n);
    expect(toUnits('820982911946154508.99')).toBe(8_209_829_119_461_545_089_900n);
  });

  it('throws on anything that is not a decimal string', () => {
    expect(() => toUnits('1.23456')).toThrow(RangeError);
  });
});

describe(fromUnits.name, () => {
  it('writes at least two decimals and more only when needed', () => {
    expect(fromUnits(840_000n)).toBe('84.00');
    expect(fromUnits(6_650n)).toBe('0.665');
    expect(fromUnits(1n)).toBe('0.0001');
    expect(fromUnits(0n)).toBe('0.00');
    expect(fromUnits(-15_000n)).toBe('-1.50');
    expect(fromUnits(-1n)).toBe('-0.0001');
  });

  it('round-trips every canonical spelling', () => {
    for (const amount of ['0.00', '1.05', '99999999.99', '0.125', '-7.0001']) {
      expect(fromUnits(toUnits(amount))).toBe(amount);
    }
  });
});

describe(sumMoney.name, () => {
  it('adds exactly where floats drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addMoney('0.10', '0.20')).toBe('0.30');
    expect(sumMoney(Array.from({ length: 1_000 }, () => '0.01'))).toBe('10.00');
    expect(sumMoney([])).toBe('0.00');
  });

  it('subtracts and normalises', () => {
    expect(subtractMoney('89.00', '5.00')).toBe('84.00');
    expect(subtractMoney('5', '5.01')).toBe('-0.01');
    expect(normaliseMoney('5')).toBe('5.00');
    expect(normaliseMoney('0.6650')).toBe('0.665');
  });
});

describe(multiplyMoney.name, () => {
  it('multiplies by integer quantities only', () => {
    expect(multiplyMoney('44.50', 2)).toBe('89.00');
    expect(multiplyMoney('19.99', 250)).toBe('4997.50');
    expect(multiplyMoney('1.005', 3)).toBe('3.015');
    expect(() => multiplyMoney('1.00', 1.5)).toThrow(RangeError);
  });
});

describe(prorateMoney.name, () => {
  it('rounds half away from zero to the decimals the amount was written with', () => {
    expect(prorateMoney('6.00', 1, 2)).toBe('3.00');
    expect(prorateMoney('35.13', 1, 2)).toBe('17.57');
    expect(prorateMoney('0.05', 1, 2)).toBe('0.03');
    expect(prorateMoney('-0.05', 1, 2)).toBe('-0.03');
    expect(prorateMoney('10.00', 1, 3)).toBe('3.33');
    expect(prorateMoney('1000', 1, 3)).toBe('333.00');
    expect(prorateMoney('5.00', 0, 4)).toBe('0.00');
  });

  it('rejects a zero or fractional whole', () => {
    expect(() => prorateMoney('1.00', 1, 0)).toThrow(RangeError);
    expect(() => prorateMoney('1.00', 0.5, 1)).toThrow(RangeError);
  });
});

describe(compareMoney.name, () => {
  it('compares values, not spellings', () => {
    expect(compareMoney('5', '5.00')).toBe(0);
    expect(compareMoney('5.001', '5.00')).toBe(1);
    expect(compareMoney('-1', '0')).toBe(-1);
    expect(decimalPlaces('5.00')).toBe(2);
    expect(decimalPlaces('1000')).toBe(0);
  });
});
