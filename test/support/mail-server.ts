import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { waitUntil } from "./wait";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

export interface MailServer {
  // smtp://127.0.0.1:<port>, for the worker's mailer.
  url: string;
  received: ReceivedMail[];
  // The first mail to `to` (after `skip` earlier ones) whose subject matches, once it arrives.
  waitForMail(to: string, subject: RegExp, options?: { skip?: number; timeoutMs?: number }): Promise<ReceivedMail>;
  close(): Promise<void>;
}

// A real SMTP server on a free loopback port (smtp-server), every mail parsed with mailparser:
// the tests read what the worker really sent over SMTP.
export async function startMailServer(): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : (mail.to?.value ?? []);
          for (const address of to) received.push({ to: address.address ?? "", subject: mail.subject ?? "", text: mail.text ?? "" });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  // A client that goes away mid-session (a worker killed on purpose in test/faults) is the
  // client's problem: without a listener, the server's 'error' event would end the process.
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitForMail(to, subject, options = {}) {
      const matching = () => received.filter((m) => m.to === to && subject.test(m.subject));
      const skip = options.skip ?? 0;
      await waitUntil(() => matching().length > skip, options.timeoutMs ?? 20_000);
      const mail = matching()[skip];
      if (mail === undefined) throw new Error(`no mail "${subject.source}" to ${to} arrived (${received.length} mails in all)`);
      return mail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The code a FlowShield mail carries (XXXXX-XXXXX).
export function codeIn(mail: ReceivedMail): string {
  const match = /code: ([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(mail.text);
  if (match?.[1] === undefined) throw new Error(`no code in the mail "${mail.subject}"`);
  return match[1];
}
