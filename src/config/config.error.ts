/** Thrown when the environment is invalid; its message is ONE line naming every bad variable, never a secret value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
