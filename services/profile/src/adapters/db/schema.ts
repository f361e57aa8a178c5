import type { ColumnType, Insertable, Selectable, Updateable } from "kysely";

// The profile database, as kysely sees it.
export interface ProfileDatabase {
  profiles: ProfilesTable;
}

export interface ProfilesTable {
  id: string;
  user_id: string;
  username: string;
  display_name: string;
  bio: string;
  create_time: ColumnType<Date, Date | undefined, never>;
  update_time: ColumnType<Date, Date | undefined, Date>;
}

export type ProfileRow = Selectable<ProfilesTable>;
export type NewProfileRow = Insertable<ProfilesTable>;
export type ProfileRowUpdate = Updateable<ProfilesTable>;
