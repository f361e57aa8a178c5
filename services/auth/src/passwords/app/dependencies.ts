// Password hashing and its admission, as every use case that checks or sets a password uses them
// (kernel/app/dependencies.ts gathers every capability's interfaces into AuthDeps).

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  // Compares against the hash, or against a dummy hash of the same cost when there is no user,
  // so that a login takes as long for an unknown email as for a known one.
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

// Admission to bcrypt work (passwords/adapters/bcrypt-queue.ts): a bounded queue, and before it a lane per
// account whose work runs one piece at a time. Runs `work` in `lane`, or refuses at once
// (RateLimitedError) when the lane or the queue is full.
export interface BcryptQueue {
  run<T>(lane: string, work: () => Promise<T>): Promise<T>;
  // Before any of that, and before any query: at most a few attempts of one caller (an address) on
  // one account in flight at once; the rest refused before any query (answered a second later),
  // so a flood from one address costs the database nothing.
  admit<T>(caller: string, work: () => Promise<T>): Promise<T>;
}
