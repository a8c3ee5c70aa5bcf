// Typed gRPC errors: thrown deep in the broker, turned into a gRPC status once at the service edge.
import * as grpc from '@grpc/grpc-js';

export class PubSubError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
    this.name = 'PubSubError';
  }
}

export const notFound = (what: string) => new PubSubError(grpc.status.NOT_FOUND, what);
export const alreadyExists = (what: string) => new PubSubError(grpc.status.ALREADY_EXISTS, what);
export const invalidArgument = (what: string) => new PubSubError(grpc.status.INVALID_ARGUMENT, what);

/** Maps any thrown value to the status object grpc-js sends; unknown errors become INTERNAL. */
export function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof PubSubError) return { code: err.code, details: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: grpc.status.INTERNAL, details: `Emulator error: ${message}` };
}

type Unary<Req, Res> = (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Res | Promise<Res>;

/** Adapts a (request) => response function to grpc-js's callback-style unary handler. */
export function unary<Req, Res>(fn: Unary<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request, call))
      .then(
        (res) => callback(null, res),
        (err) => callback(toServiceError(err)),
      );
  };
}
