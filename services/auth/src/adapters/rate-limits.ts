import { sha256 } from "@flowshield/common/secret-digest";
import type pg from "pg";
import { Counter, type Registry } from "prom-client";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError } from "@flowshield/common/errors";
import type { RateLimits } from "../app/dependencies";

// The per-address limits an operator may need to raise: many users behind one NAT, a load test.
export interface AddressLimits {
  // Failed logins per client address per hour (LOGIN_FAILURES_PER_IP, default 100).
  loginFailuresPerIp: number;
  // Registrations per client address per hour (REGISTRATIONS_PER_IP, default 20).
  registrationsPerIp: number;
}

// The limits, in one place (README, "Brute-force and abuse protection"). Counters live in the
// auth database (rate_limits), so they hold across replicas.
function limitsFor(address: AddressLimits) {
  return {
    // Consecutive failed logins per email and IP: the 10th locks that pair out for 15 minutes; a
    // successful login clears it.
    loginEmailIp: { points: 10, duration: 24 * 60 * 60, lockSeconds: 15 * 60 },
    // Failed logins per IP (one client guessing across accounts).
    loginIp: { points: address.loginFailuresPerIp, duration: 60 * 60 },
    // Failed logins per account, from anywhere (OWASP ASVS 2.2.1: at most 100 an hour).
    loginAccount: { points: 100, duration: 60 * 60 },
    register: { points: address.registrationsPerIp, duration: 60 * 60 },
    resendVerification: { points: 5, duration: 60 * 60 },
    passwordReset: { points: 5, duration: 60 * 60 },
  };
}

type Limit = { points: number; duration: number };

function limiter(pool: pg.Pool, keyPrefix: string, limit: Limit): RateLimiterPostgres {
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

function refused(reason: string, message: string, res: RateLimiterRes | null): RateLimitedError {
  return new RateLimitedError(reason, message, Math.max(1_000, res?.msBeforeNext ?? 1_000));
}

// A consume() that reached its limit rejects with the RateLimiterRes; anything else (the database
// unreachable) is an error, and passes as one.
async function consumeOrRefuse(limit: RateLimiterPostgres, key: string, reason: string, message: string): Promise<void> {
  try {
    await limit.consume(key);
  } catch (res) {
    if (res instanceof RateLimiterRes) throw refused(reason, message, res);
    throw res;
  }
}

function isOver(res: RateLimiterRes | null, points: number): boolean {
  return res !== null && res.consumedPoints >= points;
}

// rate-limiter-flexible over the auth database's pool. Each refusal is counted by the limit that
// refused (its key prefix), for the dashboard's abuse panel.
export function createRateLimits(pool: pg.Pool, address: AddressLimits, registry: Registry): RateLimits {
  const LIMITS = limitsFor(address);
  const refusals = new Counter({
    name: "flowshield_rate_limit_refusals_total",
    help: "Requests refused by a rate limit or lockout, by limit",
    labelNames: ["limit"],
    registers: [registry],
  });
  const counted = async (limit: string, check: Promise<void>) =>
    check.catch((err: unknown) => {
      if (err instanceof RateLimitedError) refusals.inc({ limit });
      throw err;
    });
  const emailIp = limiter(pool, "login_email_ip", LIMITS.loginEmailIp);
  const ip = limiter(pool, "login_ip", LIMITS.loginIp);
  const account = limiter(pool, "login_account", LIMITS.loginAccount);
  const actions = {
    register: limiter(pool, "register_ip", LIMITS.register),
    resendVerification: limiter(pool, "resend_email", LIMITS.resendVerification),
    passwordReset: limiter(pool, "reset_email", LIMITS.passwordReset),
  };
  // Keys are hashed: an email may be 254 characters and the table's keys are 255 (with the
  // limiter's prefix), and the counters then hold no email address.
  const key = (...parts: string[]) => sha256(parts.join("\n")).toString("base64url");
  const pair = (email: string, address: string) => key(email, address);

  return {
    async checkLogin(email, address) {
      const [byPair, byIp, byAccount] = await Promise.all([
        emailIp.get(pair(email, address)),
        ip.get(key(address)),
        account.get(key(email)),
      ]);
      const over = (
        [
          [emailIp, byPair, LIMITS.loginEmailIp.points],
          [ip, byIp, LIMITS.loginIp.points],
          [account, byAccount, LIMITS.loginAccount.points],
        ] as const
      ).find(([, res, points]) => isOver(res, points));
      if (over !== undefined) {
        refusals.inc({ limit: over[0].keyPrefix });
        throw refused("TOO_MANY_LOGIN_FAILURES", "too many failed logins; try again later", over[1]);
      }
    },

    async loginFailed(email, address) {
      const penalise = (l: RateLimiterPostgres, key: string) => l.penalty(key, 1);
      const [byPair] = await Promise.all([
        penalise(emailIp, pair(email, address)),
        penalise(ip, key(address)),
        penalise(account, key(email)),
      ]);
      const lockedOut = byPair.consumedPoints === LIMITS.loginEmailIp.points;
      if (lockedOut) await emailIp.block(pair(email, address), LIMITS.loginEmailIp.lockSeconds);
      return { lockedOut };
    },

    async loginSucceeded(email, address) {
      await emailIp.delete(pair(email, address));
    },

    consume: (action, subject) =>
      counted(
        actions[action].keyPrefix,
        consumeOrRefuse(actions[action], key(subject), "RATE_LIMITED", "too many requests; try again later"),
      ),
  };
}

// RATE_LIMITS=off: no limits at all. For a deployment whose gateway enforces its own, and for
// `make bench`, which measures what the limits cost; never the default.
export const NO_RATE_LIMITS: RateLimits = {
  checkLogin: async () => undefined,
  loginFailed: async () => ({ lockedOut: false }),
  loginSucceeded: async () => undefined,
  consume: async () => undefined,
};
