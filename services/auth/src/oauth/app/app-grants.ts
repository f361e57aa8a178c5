import { checkUuid } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import type { AppGrant } from "../domain/oauth-client";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { signedIn } from "../../sessions/app/sessions";

type Deps = Pick<AuthDeps, "tokens" | "sessions" | "settings" | "appGrants">;

// The applications the signed-in user allowed to act for them.
export async function listAppGrants(deps: Deps, accessToken: string): Promise<AppGrant[]> {
  const who = await signedIn(deps, accessToken);
  return deps.appGrants.list(who.userId);
}

// Withdraws an application's access: its grant and everything it holds for the user. Only the
// user's own: the grant is looked up under the signed-in user, whatever client id is named.
export async function revokeAppGrant(deps: Deps, accessToken: string, req: { clientId: string }, caller: Caller): Promise<void> {
  const who = await signedIn(deps, accessToken);
  const clientId = checkUuid(req.clientId, "client_id");
  await deps.appGrants.revoke(who.userId, clientId, caller, [
    { type: "app_grant_revoked", userId: who.userId, detail: { client_id: clientId } },
  ]);
}
