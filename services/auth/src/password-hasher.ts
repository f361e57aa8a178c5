import bcrypt from "bcrypt";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  // Compares against the hash, or against a dummy hash of the same cost when there is no user,
  // so that a login takes as long for an unknown email as for a known one.
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

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
