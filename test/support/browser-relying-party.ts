import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import type { RunningAuthService } from "@flowshield/auth/server";
import { OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { launchChromium } from "./chromium";
import { registerClient, startProvider } from "./provider";

export interface BrowserRelyingParty {
  auth: RunningAuthService;
  // The provider's origin (the issuer is base + /oidc).
  base: string;
  // A public client's, answered by a callback page on loopback.
  redirectUri: string;
  clientId: string;
  browser: Browser;
}

// For a test file of the hosted pages in a real browser: the provider at a known address, a
// public client ("Browser Test App") whose callback page answers on loopback, and Chromium.
// `host`: the name the browser calls the provider by — "localhost" for passkeys, whose relying
// party id must be a domain name (an IP address cannot be one); it resolves to loopback.
export function useBrowserRelyingParty(host = "127.0.0.1"): () => BrowserRelyingParty {
  let rp: BrowserRelyingParty | undefined;
  let callback: http.Server | undefined;
  beforeAll(async () => {
    const { auth, base } = await startProvider({}, host);
    callback = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>Callback</title><p>Back at the application.</p>");
    });
    await new Promise<void>((resolve) => callback!.listen(0, "127.0.0.1", resolve));
    const redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    const { clientId } = await registerClient(auth, {
      name: "Browser Test App",
      type: OAuthClientType.PUBLIC,
      grantTypes: [OAuthGrantType.AUTHORIZATION_CODE, OAuthGrantType.REFRESH_TOKEN],
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [redirectUri],
    });
    rp = { auth, base, redirectUri, clientId, browser: await launchChromium() };
  });
  afterAll(async () => {
    await rp?.browser.close();
    await new Promise((resolve) => callback?.close(resolve));
    await rp?.auth.close();
  });
  return () => {
    if (rp === undefined) throw new Error("the relying party is not started yet: use it inside a test or hook");
    return rp;
  };
}
