import type { Caller } from "../../audit/domain/audit";
import { checkEmailCode, codeRefusal } from "../../email-codes/app/email-codes";
import type { AuthDeps } from "../../kernel/app/dependencies";

// "This was not me": the code of a new sign-in's notice ends every session and every app's grant
// of the account, in one transaction, audited. The code is checked like every mailed code (its
// guesses limited per guesser) and works once.
export async function endSessionsByNotice(
  deps: Pick<AuthDeps, "users" | "codes" | "secrets" | "limits" | "audit">,
  req: { email: string; code: string },
  caller: Caller,
): Promise<void> {
  const { userId, codeHash } = await checkEmailCode(deps, "end_sessions", req, caller);
  const ended = await deps.codes.consume(userId, "end_sessions", codeHash, new Date(), { endSessions: true }, caller, [
    { type: "signed_out_everywhere", userId, detail: { reason: "not_me" } },
  ]);
  if (!ended) throw codeRefusal();
}
