import bcrypt from "bcrypt";
import type { PasswordHasher } from "../app/dependencies";

// bcrypt runs on libuv's thread pool, off the event loop.
export function createBcryptHasher(cost: number): PasswordHasher {
  const dummyHash = bcrypt.hashSync("flowshield-dummy-password", cost);
  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      const matched = await bcrypt.compare(password, hash ?? dummyHash);
      return matched && hash !== undefined;
    },
  };
}
