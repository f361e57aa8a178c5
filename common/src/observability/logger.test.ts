import { Writable } from "node:stream";
import { createLogger } from "./logger";

// Every secret-bearing field name, at each depth the project's log calls use: the value never
// reaches the output, the field's presence does.
const SECRET_FIELDS = [
  "password",
  "new_password",
  "currentPassword",
  "refresh_token",
  "refreshToken",
  "access_token",
  "id_token",
  "code_verifier",
  "client_secret",
  "clientSecret",
  "authorization",
  "cookie",
  "set-cookie",
  "operatorCredential",
  "payloadKeys",
];

// A logger whose lines are kept, as written.
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger("test", "info", sink) };
}

test.each(SECRET_FIELDS)("%s is redacted at the top, one and two levels down", (field) => {
  const { lines, log } = capturedLogger();
  const secret = `s3cret-${field}-value`;
  log.info({ [field]: secret }, "top");
  log.info({ req: { [field]: secret } }, "one down");
  log.info({ req: { headers: { [field]: secret } } }, "two down");
  expect(lines).toHaveLength(3);
  for (const line of lines) {
    expect(line).not.toContain(secret);
    expect(line).toContain("[redacted]");
  }
});

test("a code inside something (a form, a query) is redacted; the RPC's status code at the top stays", () => {
  const { lines, log } = capturedLogger();
  log.info({ form: { code: "ABCDE-FGHJK" }, query: { params: { code: "oauth-code-123" } } }, "page");
  log.info({ method: "AuthService/Login", code: 16 }, "rpc");
  expect(lines[0]).not.toMatch(/ABCDE-FGHJK|oauth-code-123/);
  expect(JSON.parse(lines[1]!)).toMatchObject({ code: 16 });
});
