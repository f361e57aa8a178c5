import type { Mail } from "./mailer";

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
