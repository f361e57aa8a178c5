import * as oauth from "openid-client";

// A browser reduced to what the OpenID provider's pages need: cookies, redirects followed by
// hand, and forms submitted as a person would (the field values a page shows, plus the ones typed
// in). test/oidc/browser.test.ts drives a real Chromium; this is for the protocol tests.

export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

export class OidcBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  async go(url: string | URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(new URL(url, this.origin), {
      method: init.method ?? (init.form !== undefined ? "POST" : "GET"),
      redirect: "manual",
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        ...(init.form !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(init.form !== undefined ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  // A cookie the browser holds (the provider's session cookie, say).
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  // Follows redirects until one leaves the provider (to `stopAt`) or a page answers.
  async follow(res: Response, stopAt: string): Promise<{ res: Response; location?: URL }> {
    let current = res;
    while (current.status >= 300 && current.status < 400) {
      const location = new URL(current.headers.get("location") ?? "", this.origin);
      if (location.href.startsWith(stopAt)) return { res: current, location };
      current = await this.go(location);
    }
    return { res: current };
  }
}

// The forms of a page: their action and hidden fields (the CSRF token among them).
export function formsOf(html: string): PageForm[] {
  return [...html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].map(([, action = "", inner = ""]) => ({
    action: action.replace(/&amp;/g, "&"),
    fields: Object.fromEntries(
      [...inner.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, name = "", value = ""]) => [name, value]),
    ),
  }));
}

// openid-client against the provider on loopback (plain HTTP, which it refuses unless told).
export function discoverProvider(issuer: string, clientId: string, secret?: string): Promise<oauth.Configuration> {
  return oauth.discovery(new URL(issuer), clientId, secret, secret !== undefined ? oauth.ClientSecretBasic(secret) : oauth.None(), {
    execute: [oauth.allowInsecureRequests],
  });
}

// An authorization request with PKCE (S256) and a state, and what the code exchange needs of it.
export async function pkceAuthorization(config: oauth.Configuration, params: Record<string, string>) {
  const verifier = oauth.randomPKCECodeVerifier();
  const state = oauth.randomState();
  const url = oauth.buildAuthorizationUrl(config, {
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    ...params,
  });
  return { url, verifier, state };
}

// Opens the authorization URL, signs in and consents on the pages, and returns where the
// provider sent the browser back to (`redirect`), or the page it stopped at.
export async function signInOnPages(
  browser: OidcBrowser,
  url: URL,
  credentials: { email: string; password: string },
  redirect: string,
): Promise<{ location?: URL; page?: { status: number; html: string } }> {
  let step = await browser.follow(await browser.go(url), redirect);
  for (let pages = 0; step.location === undefined && pages < 3; pages++) {
    const html = await step.res.text();
    const [form] = formsOf(html);
    if (form === undefined || step.res.status !== 200) return { page: { status: step.res.status, html } };
    const fields = form.action.endsWith("/login") ? { ...form.fields, ...credentials } : form.fields;
    const answer = await browser.go(form.action, { form: fields });
    if (answer.status < 300 || answer.status >= 400) return { page: { status: answer.status, html: await answer.text() } };
    step = await browser.follow(answer, redirect);
  }
  return step.location !== undefined ? { location: step.location } : {};
}
