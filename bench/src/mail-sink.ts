import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

// An SMTP server that accepts every mail and keeps none, only counts them: the verification mails
// go somewhere real during `make bench`, at no cost worth measuring.
export async function startMailSink(): Promise<{ url: string; received(): number; stop(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("end", () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  // A client that goes away mid-session (a worker killed on purpose in test/faults) is the
  // client's problem: without a listener, the server's 'error' event would end the process.
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
