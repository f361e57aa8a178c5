import { UnauthenticatedError } from "@flowshield/common/errors";
import { normaliseEmail } from "@flowshield/common/validation";
import { checkPasswordLength } from "../domain/password-policy";
import { canSignIn } from "../domain/user";
import type { AccessTokenIssuer, PasswordHasher, UserRepository } from "./dependencies";

export interface LoginDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  tokens: AccessTokenIssuer;
}

export interface LoginRequest {
  email: string;
  password: string;
}

// One answer for an unknown email, a wrong password and an account that may not sign in, so
// Login does not reveal who has an account; the same bcrypt work is done in every case.
export async function login(deps: LoginDeps, req: LoginRequest): Promise<{ accessToken: string; expiresIn: number }> {
  const email = normaliseEmail(req.email);
  checkPasswordLength(req.password);
  const user = await deps.users.findByEmail(email);
  const matched = await deps.hasher.verify(req.password, user?.passwordHash);
  if (user === undefined || !matched || !canSignIn(user)) throw new UnauthenticatedError("WRONG_CREDENTIALS", "wrong email or password");
  return deps.tokens.issue(user.id);
}
