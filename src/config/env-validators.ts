import { ValidateBy } from 'class-validator';

/** Shortest admin or metrics key accepted: 32 characters are out of reach of guessing over HTTP. */
export const MIN_API_KEY_LENGTH = 32;

/**
 * A comma-separated list of keys, each at least `min` characters; the message names the key by its position, never
 * its value (the variable is a secret).
 */
export function EachKeyAtLeast(min: number): PropertyDecorator {
  const shortKey = (value: unknown): number =>
    typeof value !== 'string'
      ? 0
      : value
          .split(',')
          .map((key) => key.trim())
          .filter((key) => key.length > 0)
          .findIndex((key) => key.length < min) + 1;
  return ValidateBy({
    name: 'eachKeyAtLeast',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && shortKey(value) === 0,
      defaultMessage: (args) =>
        `must hold keys of at least ${min} characters each (key ${shortKey(args?.value)} is shorter)`,
    },
  });
}

/** A port other than the one `other` (a property of the same object, e.g. PORT) names. */
export function DiffersFrom(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'differsFrom',
    validator: {
      validate: (value: unknown, args) => value !== (args?.object as Record<string, unknown> | undefined)?.[other],
      defaultMessage: () => `must differ from ${other}`,
    },
  });
}
