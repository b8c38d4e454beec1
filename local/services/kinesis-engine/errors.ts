/** A Kinesis API error: the SDK reads `__type` (and `x-amzn-ErrorType`) to name the exception it throws. */
export class KinesisError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export const notFound = (what: string) => new KinesisError('ResourceNotFoundException', `${what} not found.`);
export const invalid = (message: string) => new KinesisError('InvalidArgumentException', message);
