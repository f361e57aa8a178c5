import { createTransport } from "nodemailer";
import { envString } from "../runtime/config";
import { UnavailableError } from "../contract/errors";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export interface MailSettings {
  // smtp://host:port (or smtps://user:pass@host:port); SMTP_URL.
  smtpUrl: string;
  // The From address; MAIL_FROM.
  from: string;
}

// Where mail goes: Mailpit's SMTP port under `make dev`. The auth service mails codes, the worker
// mails notices.
export function mailSettingsFromEnv(): MailSettings {
  return {
    smtpUrl: envString("SMTP_URL", "smtp://localhost:1025"),
    from: envString("MAIL_FROM", "FlowShield <no-reply@flowshield.localhost>"),
  };
}

// Mail over SMTP with nodemailer. Pooled connections, so a burst of registrations does not open
// one per mail. Timeouts well inside an activity's 30 s: a mail server that hangs is a mail server
// that is down. Any failure is UNAVAILABLE (the mail may be tried again; the activity retries) and
// carries nodemailer's error as its cause for the log, never the mail itself.
export function createMailer(settings: MailSettings): Mailer {
  const transport = createTransport(
    { url: settings.smtpUrl, pool: true, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 },
    { from: settings.from },
  );
  return {
    async send(mail) {
      try {
        // An address object, not a string: nodemailer parses a string as an address list, and the
        // recipient is one mailbox (the services refuse list syntax in an email too).
        await transport.sendMail({ to: { name: "", address: mail.to }, subject: mail.subject, text: mail.text });
      } catch (err) {
        throw new UnavailableError("MAIL_UNAVAILABLE", "the mail server did not take the mail; retry shortly", err);
      }
    },
    close: () => transport.close(),
  };
}
