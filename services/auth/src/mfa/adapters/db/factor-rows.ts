import type { Selectable } from "kysely";
import type { Factor, TotpFactor } from "../../domain/factor";
import type { PasskeyFactor } from "../../../passkeys/domain/passkey";
import type { FactorsTable } from "../../../kernel/adapters/db/schema";

// A factors row as the domain's factor: a TOTP factor with its sealed secret and last step, a
// passkey with its credential.
export function factorFromRow(row: Selectable<FactorsTable>): Factor | TotpFactor | PasskeyFactor {
  const factor: Factor = {
    id: row.id,
    userId: row.user_id,
    type: row.type,
    name: row.name,
    createTime: row.create_time,
    ...(row.last_use_time !== null ? { lastUseTime: row.last_use_time } : {}),
  };
  if (row.type === "totp" && row.totp_secret !== null)
    return {
      ...factor,
      type: "totp",
      sealedSecret: row.totp_secret,
      ...(row.totp_last_step !== null ? { lastStep: Number(row.totp_last_step) } : {}),
    };
  if (row.type === "passkey" && row.credential_id !== null && row.public_key !== null)
    return {
      ...factor,
      type: "passkey",
      credentialId: row.credential_id,
      publicKey: new Uint8Array(row.public_key),
      counter: Number(row.sign_count ?? 0),
      transports: row.transports ?? [],
      backedUp: row.backed_up ?? false,
      deviceType: row.device_type ?? "",
    };
  return factor;
}
