import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { UserStatus } from "../../domain/user";

// The auth database, table by table, as kysely sees it.
export interface AuthDatabase {
  users: UsersTable;
  signing_keys: SigningKeysTable;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  status: UserStatus;
  create_time: ColumnType<Date, Date | undefined, never>;
  update_time: ColumnType<Date, Date | undefined, Date>;
}

export interface SigningKeysTable {
  kid: string;
  // The private key as a JWK. Kept here for development; production loads its key from
  // AUTH_SIGNING_KEY or AUTH_SIGNING_KEY_FILE and stores none.
  private_jwk: ColumnType<Record<string, unknown>, string, never>;
  create_time: Generated<Date>;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
