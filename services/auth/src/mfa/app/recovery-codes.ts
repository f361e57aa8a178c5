import type { AuthDeps } from "../../kernel/app/dependencies";
import { normaliseRecoveryCode, RECOVERY_CODE_COUNT } from "../domain/recovery-codes";

// Ten fresh recovery codes, and what is stored of them.
export function newRecoveryCodes(deps: Pick<AuthDeps, "secrets">, userId: string): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => deps.secrets.newRecoveryCode());
  return { codes, hashes: codes.map((c) => deps.secrets.hashRecoveryCode(userId, normaliseRecoveryCode(c)!)) };
}
