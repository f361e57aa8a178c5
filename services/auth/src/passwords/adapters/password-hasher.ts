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

// The threads libuv runs bcrypt on (UV_THREADPOOL_SIZE, 4 unless set): as many rounds as can run
// at once.
export function bcryptThreads(): number {
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 4;
}
