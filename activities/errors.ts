// Typed activity failures that retrying cannot fix; listed in the workers' nonRetryableErrorTypes
// and the workflows' retry policies.
export class RecordNotFoundError extends Error {
  override name = 'RecordNotFoundError';
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`);
  }
}

export const NON_RETRYABLE_ERROR_TYPES = ['RecordNotFoundError'];
