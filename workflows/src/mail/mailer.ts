import { createTransport } from "nodemailer";

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

// Mail over SMTP with nodemailer, from activities: a failure throws, and Temporal retries the
// activity. Pooled connections, so a burst of registrations does not open one per mail.
export function createMailer(settings: MailSettings): Mailer {
  const transport = createTransport(settings.smtpUrl, { from: settings.from });
  transport.set("pool", true);
  return {
    async send(mail) {
      // An address object, not a string: nodemailer parses a string as an address list, and the
      // recipient is one mailbox (the services refuse list syntax in an email too).
      await transport.sendMail({ to: { name: "", address: mail.to }, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}
