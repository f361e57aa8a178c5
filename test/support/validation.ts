import { ValidationError } from "@flowshield/common/contract/validation";

// The field a validation failure names, or undefined when the call passed.
export function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
}
