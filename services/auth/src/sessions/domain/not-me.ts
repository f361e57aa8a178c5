// A new sign-in's notice ends with a link that signs out every session and app of the account
// ("this was not me"): the account console's page at NOT_ME_PATH, with the email and the mailed
// code (its purpose: end_sessions). The page asks before it acts, so a mail scanner that opens
// links ends nothing.
export const NOT_ME_PATH = "/account/not-me";

export function notMeLink(publicUrl: string, email: string, code: string): string {
  return `${publicUrl}${NOT_ME_PATH}?${new URLSearchParams({ email, code }).toString()}`;
}
