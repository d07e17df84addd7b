/** @description A publish that reached no queue: RabbitMQ returned it (no binding matched). */
export class UnroutableMessageError extends Error {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    readonly replyText: string,
  ) {
    super(`RabbitMQ returned a message published to '${exchange}' (${routingKey}): ${replyText}; no queue took it`);
    this.name = UnroutableMessageError.name;
  }
}
