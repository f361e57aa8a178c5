import type { Mail } from "./mailer";
import type { SecurityNotice } from "@flowshield/contracts/security-notice";

// The mails FlowShield sends, as plain text. Codes are shown grouped for reading (XXXXX-XXXXX);
// the auth service accepts them with or without the dash.

function grouped(code: string): string {
  return code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

export function verificationMail(to: string, code: string, expireTime: Date, reminder: boolean): Mail {
  return {
    to,
    subject: reminder ? "Reminder: verify your FlowShield email" : "Verify your FlowShield email",
    text: [
      reminder ? "Your FlowShield account is not verified yet." : "Welcome to FlowShield.",
      "",
      `Your verification code: ${grouped(code)}`,
      "",
      `It works once, until ${expireTime.toISOString()}. An account that is not verified by then is removed.`,
      "If you did not create this account, ignore this mail.",
    ].join("\n"),
  };
}

export function passwordResetMail(to: string, code: string, expireTime: Date): Mail {
  return {
    to,
    subject: "Your FlowShield password reset code",
    text: [
      `Your password reset code: ${grouped(code)}`,
      "",
      `It works once, until ${expireTime.toISOString()}.`,
      "If you did not ask to reset your password, ignore this mail: your password is unchanged.",
    ].join("\n"),
  };
}

// A sign-in new to the account (the risk engine's notice), with the link that ends every session
// of the account — the code in it works once, until `expireTime`.
export function newSignInMail(
  to: string,
  signIn: { time: Date; place: string; device: string },
  notMeLink: string,
  expireTime: Date,
): Mail {
  return {
    to,
    subject: "A new sign-in to your FlowShield account",
    text: [
      "Your account was just signed in to:",
      "",
      `  When: ${signIn.time.toISOString()}`,
      `  Where: ${signIn.place === "" ? "an unknown place" : `near ${signIn.place}`} (from the network's address; it can be far off)`,
      `  Device: ${signIn.device === "" ? "unknown" : signIn.device}`,
      "",
      "If this was you, there is nothing to do.",
      "",
      "If this was not you, open this link to sign out every session and app at once, then reset your password:",
      notMeLink,
      `(The link works once, until ${expireTime.toISOString()}.)`,
    ].join("\n"),
  };
}

export function passwordChangedMail(to: string): Mail {
  return {
    to,
    subject: "Your FlowShield password was changed",
    text: [
      "The password of your FlowShield account was just changed, and your other sessions were ended.",
      "",
      "If this was not you, reset your password now and contact support.",
    ].join("\n"),
  };
}

const SECURITY_NOTICE_TEXT: Record<SecurityNotice, { subject: string; what: string }> = {
  mfa_enrolled: { subject: "A second factor was added to your FlowShield account", what: "A second factor was added to your account." },
  mfa_removed: {
    subject: "A second factor was removed from your FlowShield account",
    what: "A second factor was removed from your account.",
  },
  recovery_code_used: {
    subject: "A recovery code was used to sign in to your FlowShield account",
    what: "One of your recovery codes was just used to sign in.",
  },
  recovery_codes_regenerated: {
    subject: "New recovery codes for your FlowShield account",
    what: "New recovery codes were made for your account; the old ones no longer work.",
  },
  mfa_reset: {
    subject: "Your FlowShield second factors were reset",
    what: "An operator removed your account's second factors at your request.",
  },
};

// A change to a user's second factors. Every one ends the user's other sessions.
export function securityNoticeMail(to: string, notice: SecurityNotice): Mail {
  const { subject, what } = SECURITY_NOTICE_TEXT[notice];
  return {
    to,
    subject,
    text: [what, "Your other sessions were ended.", "", "If this was not you, reset your password now and contact support."].join("\n"),
  };
}
