import fc from "fast-check";
import addressparser from "nodemailer/lib/addressparser";
import { normaliseEmail } from "@flowshield/common/contract/validation";
import { GOOD_PASSWORD, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { useFullStack } from "../support/stack";

// An email that a mailer reads as several recipients, or as someone else: registered, its
// verification code would go to the attacker too. On the main of 2026-12-05 the email check
// allowed every character but @ and spaces: groups (`team:eve@evil.example;`), angle brackets
// and comments reached nodemailer.

jest.setTimeout(60_000);

const stack = useFullStack();

test("whatever email the services accept, nodemailer reads as that one mailbox", () => {
  const odd = fc.constantFrom(",", ";", ":", "<", ">", "(", ")", '"', "\\", "[", "]", " ");
  const candidate = fc.oneof(
    fc.emailAddress(),
    fc.tuple(fc.emailAddress(), odd, fc.emailAddress()).map(([a, sep, b]) => `${a}${sep}${b.replace("@", "")}`),
    fc.tuple(fc.string({ maxLength: 8 }), odd, fc.emailAddress()).map(([a, sep, b]) => `${a}${sep}${b}`),
  );
  let accepted = 0;
  fc.assert(
    fc.property(candidate, (raw) => {
      let email: string;
      try {
        email = normaliseEmail(raw);
      } catch {
        return;
      }
      accepted++;
      const parsed = addressparser(email, { flatten: true });
      expect(parsed).toEqual([{ name: "", address: email }]);
    }),
    { numRuns: 2_000 },
  );
  // The property saw accepted emails to check, not only refusals.
  expect(accepted).toBeGreaterThan(500);
});

test.each(["team:eve@evil.example;", "<eve@evil.example>", "ada@example.com(eve@evil.example)", "ada@example.com,eve"])(
  "Register refuses %p as INVALID_ARGUMENT naming the email, and nothing is mailed",
  async (email) => {
    expect(
      await outcomeOf(stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Eve" })),
    ).toMatchObject({ code: Code.InvalidArgument, message: "email: is not an email address" });
    await expect(stack().mail.waitForMail("eve@evil.example", /./, { timeoutMs: 300 })).rejects.toThrow();
  },
);
