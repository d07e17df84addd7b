import { formatGraphqlError, withoutInputValue } from 'src/common/graphql/graphql-options';

describe(withoutInputValue.name, () => {
  it('drops the value graphql-js quotes for a variable it cannot coerce, keeping the variable, path and reason', () => {
    const message =
      'Variable "$input" got invalid value { webhooksecret: "shpss_a; b at \\"input.x\\"; c" }; Field "webhooksecret" is not defined by type "ShopSettingsInput".';
    const cleaned = withoutInputValue(message);
    expect(cleaned).toBe(
      'Variable "$input" got an invalid value; Field "webhooksecret" is not defined by type "ShopSettingsInput".',
    );
    expect(cleaned).not.toContain('shpss_');
    expect(
      withoutInputValue(
        'Variable "$input" got invalid value "shpss_x" at "input.enabled"; Expected type "Boolean". Boolean cannot represent a non boolean value: "shpss_x"',
      ),
    ).toBe('Variable "$input" got an invalid value at "input.enabled"; Expected type "Boolean"');
  });

  it('leaves every other message as it is', () => {
    expect(withoutInputValue('Cannot query field "x" on type "Query".')).toBe(
      'Cannot query field "x" on type "Query".',
    );
  });

  it('formatGraphqlError keeps field errors of a client error and applies the redaction', () => {
    const formatted = formatGraphqlError({
      message: 'Variable "$i" got invalid value "secret-value"; Expected type "Int"',
      extensions: { code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'currency', message: 'must be …' }] },
    });
    expect(formatted).toEqual({
      message: 'Variable "$i" got an invalid value; Expected type "Int"',
      extensions: { code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'currency', message: 'must be …' }] },
    });
  });
});
