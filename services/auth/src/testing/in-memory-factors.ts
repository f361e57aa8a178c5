import type { AuditRecord, Caller } from "../audit/domain/audit";
import type { ChallengeStore, FactorSecretBox, FactorStore } from "../mfa/app/dependencies";
import { CHALLENGE_MAX_FAILURES, type MfaChallenge } from "../mfa/domain/challenge";
import type { Factor, TotpFactor } from "../mfa/domain/factor";
import type { PasskeyStore } from "../passkeys/app/dependencies";
import type { PasskeyFactor } from "../passkeys/domain/passkey";

// The second factors' stores in memory, for the use cases' unit tests (in-memory-deps.ts puts
// them into the world). The contracts are the interfaces' (mfa/app/dependencies.ts); the same
// paths run against Postgres in test/mfa/.
export function inMemoryFactorDeps(world: {
  endAll(userId: string, keepSessionId?: string): void;
  record(caller: Caller, records: AuditRecord[]): void;
}): {
  factors: FactorStore;
  challenges: ChallengeStore;
  factorSecrets: FactorSecretBox;
  passkeys: PasskeyStore;
  all: Map<string, (Factor | TotpFactor | PasskeyFactor) & { confirmed: boolean }>;
} {
  const all = new Map<string, (Factor | TotpFactor | PasskeyFactor) & { confirmed: boolean }>();
  const recoveryCodes = new Map<string, { userId: string; used: boolean }>();
  const challenges = new Map<string, MfaChallenge & { claimed: boolean; failures: number }>();
  const confirmedOf = (userId: string) => [...all.values()].filter((f) => f.userId === userId && f.confirmed);
  const codesOf = (userId: string) => [...recoveryCodes.entries()].filter(([, c]) => c.userId === userId);
  const storeCodes = (userId: string, hashes: string[]) => {
    for (const [hash] of codesOf(userId)) recoveryCodes.delete(hash);
    for (const hash of hashes) recoveryCodes.set(hash, { userId, used: false });
  };
  // An account's first factor brings its codes (the Postgres store's storeRecoveryCodesUnlessLive).
  const storeCodesUnlessLive = (userId: string, hashes: string[]) => {
    const none = codesOf(userId).every(([, c]) => c.used);
    if (none) storeCodes(userId, hashes);
    return none;
  };
  const strip = ({ confirmed: _c, ...factor }: (Factor | TotpFactor | PasskeyFactor) & { confirmed: boolean }) => factor;

  const factors: FactorStore = {
    startTotp: async (factor) => void all.set(factor.id, { ...factor, confirmed: false }),
    findUnconfirmedTotp: async (userId, id, createdAfter) => {
      const f = all.get(id);
      return f !== undefined && f.userId === userId && !f.confirmed && f.createTime > createdAfter && "sealedSecret" in f
        ? (strip(f) as TotpFactor)
        : undefined;
    },
    confirmTotp: async ({ userId, id, step }, hashes, keep, caller, records) => {
      const f = all.get(id);
      if (f === undefined || f.userId !== userId || f.confirmed) return { confirmed: false, recoveryCodesStored: false };
      Object.assign(f, { confirmed: true, lastStep: step });
      const recoveryCodesStored = storeCodesUnlessLive(userId, hashes);
      world.endAll(userId, keep);
      world.record(caller, records);
      return { confirmed: true, recoveryCodesStored };
    },
    listConfirmed: async (userId) => confirmedOf(userId).map(strip),
    spendTotpStep: async (id, step, now) => {
      const f = all.get(id) as (TotpFactor & { confirmed: boolean }) | undefined;
      if (f === undefined || (f.lastStep !== undefined && f.lastStep >= step)) return false;
      Object.assign(f, { lastStep: step, lastUseTime: now });
      return true;
    },
    spendRecoveryCode: async (userId, hash, _now, caller, records) => {
      const code = recoveryCodes.get(hash);
      if (code === undefined || code.userId !== userId || code.used) return false;
      code.used = true;
      world.endAll(userId);
      world.record(caller, records);
      return true;
    },
    recoveryCodesLeft: async (userId) => codesOf(userId).filter(([, c]) => !c.used).length,
    remove: async (userId, id, keep, caller, records) => {
      const f = all.get(id);
      if (f === undefined || f.userId !== userId || !f.confirmed) return false;
      all.delete(id);
      if (confirmedOf(userId).length === 0) storeCodes(userId, []);
      world.endAll(userId, keep);
      world.record(caller, records);
      return true;
    },
    removeAll: async (userId, caller, records) => {
      const removed = confirmedOf(userId).length;
      for (const f of [...all.values()]) if (f.userId === userId) all.delete(f.id);
      storeCodes(userId, []);
      if (removed === 0) return 0;
      world.endAll(userId);
      world.record(caller, records);
      return removed;
    },
    replaceRecoveryCodes: async (userId, hashes, keep, caller, records) => {
      if (confirmedOf(userId).length === 0) return false;
      storeCodes(userId, hashes);
      world.endAll(userId, keep);
      world.record(caller, records);
      return true;
    },
  };

  const passkeys: PasskeyStore = {
    findByCredentialId: async (credentialId) =>
      [...all.values()].find(
        (f): f is PasskeyFactor & { confirmed: boolean } => f.type === "passkey" && "credentialId" in f && f.credentialId === credentialId,
      ),
    add: async (passkey, hashes, keep, caller, records) => {
      all.set(passkey.id, { ...passkey, confirmed: true });
      const recoveryCodesStored = storeCodesUnlessLive(passkey.userId, hashes);
      world.endAll(passkey.userId, keep);
      world.record(caller, records);
      return { recoveryCodesStored };
    },
    spend: async (id, counter, backedUp, now) => {
      const f = all.get(id) as (PasskeyFactor & { confirmed: boolean }) | undefined;
      if (f === undefined || !((f.counter === 0 && counter === 0) || f.counter < counter)) return false;
      Object.assign(f, { counter, backedUp, lastUseTime: now });
      return true;
    },
  };

  return {
    all,
    factors,
    passkeys,
    challenges: {
      create: async (idHash, challenge) => void challenges.set(idHash, { ...challenge, claimed: false, failures: 0 }),
      claim: async (idHash, purposes, now) => {
        const c = challenges.get(idHash);
        if (c === undefined || c.claimed || now >= c.expireTime || !purposes.includes(c.purpose)) return undefined;
        c.claimed = true;
        const { claimed: _claimed, failures: _failures, ...challenge } = c;
        return challenge;
      },
      release: async (idHash) => {
        const c = challenges.get(idHash);
        if (c === undefined) return;
        c.failures++;
        c.claimed = c.failures >= CHALLENGE_MAX_FAILURES;
      },
    },
    // Reversible and visibly so: the unit tests are about the rules, not the cipher.
    factorSecrets: {
      seal: (plaintext, factorId) => `sealed:${factorId}:${plaintext}`,
      open: (sealed, factorId) => {
        const prefix = `sealed:${factorId}:`;
        if (!sealed.startsWith(prefix)) throw new Error("a secret sealed for another factor");
        return sealed.slice(prefix.length);
      },
    },
  };
}
