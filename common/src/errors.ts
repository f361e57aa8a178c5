// Domain errors every service raises. Ports translate them to status codes (see connect-errors.ts);
// domain code knows nothing of gRPC.
export { ValidationError } from "./validation";

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

export class AlreadyExistsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "AlreadyExistsError";
  }
}

export class PermissionDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermissionDeniedError";
  }
}
