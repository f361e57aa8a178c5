import pg from "pg";
import { uniqueSuffix } from "./env";

// A database of its own on a test Postgres server, for a test that counts every row it finds.
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function asAdmin<T>(serverUrl: string, body: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.end();
  }
}

export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`.replace(/[^a-z0-9_]/g, "_");
  await asAdmin(serverUrl, (admin) => admin.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => asAdmin(serverUrl, (admin) => admin.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
