import type { AuditRecord, Caller } from "../../audit/domain/audit";
import type { ChallengePurpose, MfaChallenge } from "../domain/challenge";
import type { Factor, TotpFactor } from "../domain/factor";

// What the second-factor use cases need from the world (kernel/app/dependencies.ts gathers every
// capability's interfaces into AuthDeps); adapters/ implements them. Methods that take a Caller and
// AuditRecords write those events in the same transaction as their change; `endOtherSessions`
// ends every session of the user but that one (and the OpenID provider's grants) there too.

export interface FactorStore {
  // A TOTP factor that counts only once confirmed; the user's unconfirmed ones older than
  // `staleBefore` are dropped.
  startTotp(factor: TotpFactor, staleBefore: Date): Promise<void>;
  findUnconfirmedTotp(userId: string, factorId: string, createdAfter: Date): Promise<TotpFactor | undefined>;
  // Confirms it at the step its first code used, and stores the recovery codes' hashes unless the
  // user has live ones; false when it is no longer there to confirm.
  confirmTotp(
    factor: { userId: string; id: string; step: number },
    recoveryCodeHashes: string[],
    endOtherSessions: string,
    caller: Caller,
    audit: AuditRecord[],
  ): Promise<{ confirmed: boolean; recoveryCodesStored: boolean }>;
  // Confirmed factors, oldest first; TOTP factors with their sealed secrets.
  listConfirmed(userId: string): Promise<Array<Factor | TotpFactor>>;
  // Accepts a TOTP code's step: compare-and-set on the last step, so a code is spent once even by
  // concurrent callers. False when that step (or a later one) was accepted already.
  spendTotpStep(factorId: string, step: number, now: Date): Promise<boolean>;
  // Spends a recovery code (compare-and-set), ending every session of the user; false when it is
  // not one of the user's live codes.
  spendRecoveryCode(userId: string, codeHash: string, now: Date, caller: Caller, audit: AuditRecord[]): Promise<boolean>;
  recoveryCodesLeft(userId: string): Promise<number>;
  // Removes a confirmed factor (and the recovery codes with the last one); false when the user
  // has no such factor.
  remove(userId: string, factorId: string, endOtherSessions: string, caller: Caller, audit: AuditRecord[]): Promise<boolean>;
  // An operator's: every factor and recovery code of the user goes, and all of the user's access
  // ends; the number of factors removed (none: nothing changed, nothing audited).
  removeAll(userId: string, caller: Caller, audit: AuditRecord[]): Promise<number>;
  // The user's recovery codes become these; false when the user has no confirmed factor.
  replaceRecoveryCodes(
    userId: string,
    codeHashes: string[],
    endOtherSessions: string,
    caller: Caller,
    audit: AuditRecord[],
  ): Promise<boolean>;
}

export interface ChallengeStore {
  create(idHash: string, challenge: MfaChallenge): Promise<void>;
  // Claims a live challenge of one of these purposes (compare-and-set): no one else may answer it
  // until it is released.
  claim(idHash: string, purposes: ChallengePurpose[], now: Date): Promise<MfaChallenge | undefined>;
  // A wrong answer: the challenge is live again unless that was its last allowed failure.
  release(idHash: string): Promise<void>;
}

// Encrypts factor secrets at rest (AES-256-GCM): the factor's id is bound to its ciphertext, so
// a secret cannot be moved to another row.
export interface FactorSecretBox {
  seal(plaintext: string, factorId: string): string;
  open(sealed: string, factorId: string): string;
}
