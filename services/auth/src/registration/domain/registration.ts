import { checkDisplayName, normaliseEmail, normaliseUsername } from "@flowshield/common/contract/validation";
import { checkNewPassword } from "../../passwords/domain/password-policy";

export interface RegistrationRequest {
  email: string;
  password: string;
  username: string;
  displayName: string;
}

// Checks every field of a registration before anything is hashed or started, so a bad request
// costs no bcrypt round and leaves no workflow behind. Returns the normalised values.
export function validateRegistration(req: RegistrationRequest): RegistrationRequest {
  const email = normaliseEmail(req.email);
  checkNewPassword(req.password);
  const username = normaliseUsername(req.username);
  const displayName = checkDisplayName(req.displayName);
  return { email, password: req.password, username, displayName };
}
