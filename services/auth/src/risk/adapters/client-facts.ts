import { sha256 } from "@flowshield/common/crypto/secret-digest";
import MailChecker from "mailchecker";
import { UAParser } from "ua-parser-js";
import type { ClientFacts } from "../app/dependencies";

// A caller's device: the hash of the id it sent (X-Device-Id, the pages' device cookie), or — a
// client that sends none — of its user agent's family (browser, its major version, and the
// operating system), so a browser that updates itself is still the same device while another
// browser, or a script, is a new one. Hashed: the normals hold no id and no user agent.
// ua-parser-js 1.x (MIT; its 2.x is AGPL). Throwaway email domains: mailchecker's list.
export function createClientFacts(): ClientFacts {
  return {
    deviceKey(caller) {
      return sha256(caller.deviceId !== undefined ? `id ${caller.deviceId}` : `ua ${userAgentFamily(caller.userAgent)}`)
        .toString("base64url")
        .slice(0, 16);
    },
    deviceName: (caller) => userAgentFamily(caller.userAgent),
    isDisposableEmail: (email) => !MailChecker.isValid(email),
  };
}

export function userAgentFamily(userAgent: string): string {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const major = browser.major ?? browser.version?.split(".")[0];
  const name = browser.name ?? userAgent.split(/[/ ]/)[0] ?? "";
  return [name, major, os.name, device.type].filter((part) => part !== undefined && part !== "").join(" ");
}
