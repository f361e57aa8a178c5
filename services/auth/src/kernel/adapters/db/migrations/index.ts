import type { Migration } from "kysely/migration";
import * as createUsers from "./0001_create_users";
import * as createSigningKeys from "./0002_create_signing_keys";
import * as accountLifecycle from "./0003_account_lifecycle";
import * as oidc from "./0004_oidc";
import * as oidcHashedIds from "./0005_oidc_hashed_ids";
import * as emailCodesKept from "./0006_email_codes_kept";
import * as secondFactors from "./0007_second_factors";
import * as passkeyCeremonies from "./0008_passkey_ceremonies";
import * as risk from "./0009_risk";

export const authMigrations: Record<string, Migration> = {
  "0001_create_users": createUsers,
  "0002_create_signing_keys": createSigningKeys,
  "0003_account_lifecycle": accountLifecycle,
  "0004_oidc": oidc,
  "0005_oidc_hashed_ids": oidcHashedIds,
  "0006_email_codes_kept": emailCodesKept,
  "0007_second_factors": secondFactors,
  "0008_passkey_ceremonies": passkeyCeremonies,
  "0009_risk": risk,
};
