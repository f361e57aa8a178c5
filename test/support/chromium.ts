import { chromium, type Browser } from "playwright-core";

// Debian's Chromium (`make test` installs it), headless, driven by playwright-core.
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    // As root in a container Chromium's sandbox cannot start; this machine's closed network
    // refuses the browser's own background traffic.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
