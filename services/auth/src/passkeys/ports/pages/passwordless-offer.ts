import { RateLimitedError } from "@flowshield/common/contract/errors";
import type { Caller } from "../../../audit/domain/audit";
import type { AuthApplication } from "../../../kernel/app/application";
import type { FormPage } from "../../../kernel/ports/pages/html";
import { passkeyCeremony } from "./passkey-html";

// A sign-in page's passkey offer: a passwordless challenge, offered in the email field's autofill
// (conditional mediation) and by a button, answered at `action` (the page's second step). An
// address that started too many is offered none: the page still signs in with a password.
export async function passwordlessOffer(
  app: Pick<AuthApplication, "startPasskeyLogin">,
  p: FormPage,
  action: string,
  caller: Caller,
): Promise<string> {
  try {
    const ticket = await app.startPasskeyLogin({ email: "" }, caller);
    const optionsJson = ticket.webauthnOptionsJson ?? "{}";
    return passkeyCeremony(p, {
      mode: "conditional",
      optionsJson,
      action,
      fields: { challenge: ticket.id, kinds: "passkey", options: optionsJson },
      button: "Sign in with a passkey",
    });
  } catch (err) {
    if (err instanceof RateLimitedError) return "";
    throw err;
  }
}
