import { limitKeyOfAddress } from "@flowshield/common/runtime/client-address";
import { sha256 } from "@flowshield/common/crypto/secret-digest";
import type pg from "pg";
import type { Registry } from "prom-client";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError } from "@flowshield/common/contract/errors";
import type { LoginAttempt, RateLimits } from "../app/dependencies";
import { rateLimitRefusals } from "./rate-limit-refusals";

// The per-address limits an operator may need to raise: many users behind one NAT, a load test.
export interface AddressLimits {
  // Failed logins per client address per hour (LOGIN_FAILURES_PER_IP, default 100).
  loginFailuresPerIp: number;
  // Registrations per client address per hour (REGISTRATIONS_PER_IP, default 20).
  registrationsPerIp: number;
  // Passwordless sign-ins started per client address per hour (PASSKEY_LOGINS_PER_IP, default
  // 600): each sign-in page shown starts one.
  passkeyLoginsPerIp: number;
}

// The limits, in one place (README, "Brute-force and abuse protection"). Counters live in the
// auth database (rate_limits), so they hold across replicas. An address is a limit key
// (limitKeyOfAddress: IPv6 by its /64).
function limitsFor(address: AddressLimits) {
  return {
    // Consecutive failed logins per email and address: the 10th locks that pair out for 15
    // minutes; a successful login clears it.
    loginEmailIp: { points: 10, duration: 24 * 60 * 60, lockSeconds: 15 * 60 },
    // Failed logins per address (one client guessing across accounts).
    loginIp: { points: address.loginFailuresPerIp, duration: 60 * 60 },
    // Failed logins per account, from addresses it has not signed in from (OWASP ASVS 2.2.1: at
    // most 100 an hour). An address the account signed in from within knownAddressDays is spared
    // this one: strangers elsewhere cannot lock the owner out of where they sign in.
    loginAccount: { points: 100, duration: 60 * 60 },
    knownAddressDays: 30,
    register: { points: address.registrationsPerIp, duration: 60 * 60 },
    // Per email and address: a stranger spends their own quota, never the owner's.
    resendVerification: { points: 5, duration: 60 * 60 },
    passwordReset: { points: 5, duration: 60 * 60 },
    passkeyLogin: { points: address.passkeyLoginsPerIp, duration: 60 * 60 },
    // Code guesses (email-codes/domain/email-code.ts has the arithmetic): per email and address, and per email
    // from addresses the account does not know.
    codeGuessEmailIp: { points: 5, duration: 60 * 60 },
    codeGuessEmail: { points: 50, duration: 60 * 60 },
    // Codes mailed per email, asked for from addresses the account does not know.
    codeMails: { points: 3, duration: 60 * 60 },
    // Second-factor answers per account (only whoever had the password reaches them): TOTP's three
    // live codes in a million give 10 guesses a quarter hour odds of ~3e-5 a quarter hour.
    factorGuess: { points: 10, duration: 15 * 60 },
  };
}

type Limit = { points: number; duration: number };

// A limiter in the rate_limits table (the risk engine's velocity counters are kept there too).
export function limiter(pool: pg.Pool, keyPrefix: string, limit: Limit): RateLimiterPostgres {
  // The table is made by the auth migrations (0003); the library neither creates it nor runs its
  // own purge timer (expired rows are overwritten in place by the next hit on the same key).
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix,
    points: limit.points,
    duration: limit.duration,
  });
}

function refused(reason: string, message: string, res: RateLimiterRes, limit: RateLimiterPostgres): RateLimitedError {
  const first = res.consumedPoints === limit.points + 1 ? limit.keyPrefix : undefined;
  return new RateLimitedError(reason, message, Math.max(1_000, res.msBeforeNext), first);
}

// A consume() that reached its limit rejects with the RateLimiterRes; anything else (the database
// unreachable) is an error, and passes as one.
async function consumeOrRefuse(limit: RateLimiterPostgres, key: string, reason: string, message: string): Promise<void> {
  try {
    await limit.consume(key);
  } catch (res) {
    if (res instanceof RateLimiterRes) throw refused(reason, message, res, limit);
    throw res;
  }
}

// rate-limiter-flexible over the auth database's pool. Each refusal is counted by the limit that
// refused (its key prefix), for the dashboard's abuse panel.
export function createRateLimits(pool: pg.Pool, address: AddressLimits, registry: Registry): RateLimits {
  const LIMITS = limitsFor(address);
  const refusals = rateLimitRefusals(registry);
  const emailIp = limiter(pool, "login_email_ip", LIMITS.loginEmailIp);
  const ip = limiter(pool, "login_ip", LIMITS.loginIp);
  const account = limiter(pool, "login_account", LIMITS.loginAccount);
  const knownAddress = limiter(pool, "login_known_address", { points: 1, duration: LIMITS.knownAddressDays * 86_400 });
  const codeGuessEmailIp = limiter(pool, "code_guess_email_ip", LIMITS.codeGuessEmailIp);
  const codeGuessEmail = limiter(pool, "code_guess_email", LIMITS.codeGuessEmail);
  const codeMails = limiter(pool, "code_mails", LIMITS.codeMails);
  const factorGuess = limiter(pool, "factor_guess", LIMITS.factorGuess);
  const actions = {
    register: limiter(pool, "register_ip", LIMITS.register),
    resendVerification: limiter(pool, "resend_email", LIMITS.resendVerification),
    passwordReset: limiter(pool, "reset_email", LIMITS.passwordReset),
    passkeyLogin: limiter(pool, "passkey_login_ip", LIMITS.passkeyLogin),
  };
  // Keys are hashed: an email may be 254 characters and the table's keys are 255 (with the
  // limiter's prefix), and the counters then hold no email address.
  const key = (...parts: string[]) => sha256(parts.join("\n")).toString("base64url");
  const rememberAddress = async (email: string, clientIp: string) => {
    await knownAddress.set(key(email, limitKeyOfAddress(clientIp)), 1, LIMITS.knownAddressDays * 86_400);
  };
  // One point from each limit at once, or none: a refused attempt gives back what the other
  // limits had granted it.
  async function takeAll(taken: Array<[RateLimiterPostgres, string]>, reason: string, message: string): Promise<RateLimiterRes[]> {
    const results = await Promise.allSettled(taken.map(([l, k]) => l.consume(k)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure === undefined) return results.map((r) => (r as PromiseFulfilledResult<RateLimiterRes>).value);
    await Promise.all(taken.filter((_, i) => results[i]?.status === "fulfilled").map(([l, k]) => l.reward(k, 1))).catch(() => undefined);
    if (!(failure.reason instanceof RateLimiterRes)) throw failure.reason;
    const limit = taken[results.indexOf(failure)]![0];
    refusals.inc({ limit: limit.keyPrefix });
    throw refused(reason, message, failure.reason, limit);
  }

  return {
    isKnownAddress: async (email, clientIp) => (await knownAddress.get(key(email, limitKeyOfAddress(clientIp)))) !== null,

    // The attempt is taken from every limit at once, before the password is checked: each consume
    // is one atomic upsert, so of N concurrent attempts only as many as a limit has left pass it,
    // and the rest are refused without any bcrypt work.
    async reserveLogin(email, clientIp, known): Promise<LoginAttempt> {
      const from = limitKeyOfAddress(clientIp);
      const pairKey = key(email, from);
      const taken: Array<[RateLimiterPostgres, string]> = [
        [emailIp, pairKey],
        [ip, key(from)],
        ...(known ? [] : [[account, key(email)] as [RateLimiterPostgres, string]]),
      ];
      const results = await takeAll(taken, "TOO_MANY_LOGIN_FAILURES", "too many failed logins; try again later");
      const giveBack = () => Promise.all(taken.map(([l, k]) => l.reward(k, 1)));
      const byPair = results[0] as RateLimiterRes;
      return {
        async failed() {
          const lockedOut = byPair.consumedPoints === LIMITS.loginEmailIp.points;
          if (lockedOut) await emailIp.block(pairKey, LIMITS.loginEmailIp.lockSeconds);
          return { lockedOut };
        },
        async succeeded() {
          await Promise.all([emailIp.delete(pairKey), ...taken.slice(1).map(([l, k]) => l.reward(k, 1)), rememberAddress(email, clientIp)]);
        },
        // Best effort: a refund lost to a database error leaves the attempt counted, which errs
        // on the side of the limit.
        abandoned: () =>
          giveBack().then(
            () => undefined,
            () => undefined,
          ),
      };
    },

    async reserveCodeGuess(purpose, email, clientIp, known) {
      const taken: Array<[RateLimiterPostgres, string]> = [
        [codeGuessEmailIp, key(purpose, email, limitKeyOfAddress(clientIp))],
        ...(known ? [] : [[codeGuessEmail, key(purpose, email)] as [RateLimiterPostgres, string]]),
      ];
      await takeAll(taken, "TOO_MANY_CODE_ATTEMPTS", "too many wrong codes; try again later");
    },

    async reserveFactorGuess(userId) {
      await takeAll([[factorGuess, key(userId)]], "TOO_MANY_FACTOR_ATTEMPTS", "too many wrong codes; try again later");
      return { succeeded: async () => void (await factorGuess.reward(key(userId), 1)) };
    },

    async mayMailCode(purpose, email, known) {
      if (known) return true;
      try {
        await codeMails.consume(key(purpose, email));
        return true;
      } catch (res) {
        if (res instanceof RateLimiterRes) return false;
        throw res;
      }
    },

    rememberAddress,

    consume: (action, subject) =>
      consumeOrRefuse(actions[action], key(subject), "RATE_LIMITED", "too many requests; try again later").catch((err: unknown) => {
        if (err instanceof RateLimitedError) refusals.inc({ limit: actions[action].keyPrefix });
        throw err;
      }),
  };
}

// RATE_LIMITS=off: no limits at all. For a deployment whose gateway enforces its own, and for
// `make bench`, which measures what the limits cost; never the default.
export const NO_RATE_LIMITS: RateLimits = {
  isKnownAddress: async () => false,
  reserveLogin: async () => ({
    failed: async () => ({ lockedOut: false }),
    succeeded: async () => undefined,
    abandoned: async () => undefined,
  }),
  consume: async () => undefined,
  reserveCodeGuess: async () => undefined,
  reserveFactorGuess: async () => ({ succeeded: async () => undefined }),
  mayMailCode: async () => true,
  rememberAddress: async () => undefined,
};
