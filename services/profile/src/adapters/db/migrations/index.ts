import type { Migration } from "kysely/migration";
import * as createProfiles from "./0001_create_profiles";

export const profileMigrations: Record<string, Migration> = {
  "0001_create_profiles": createProfiles,
};
