import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Payload, PayloadCodec } from "@temporalio/common";
import { temporal } from "@temporalio/proto";
import { envOptional } from "../runtime/config";

// Temporal stores every workflow's inputs and results. Ours hold emails, usernames and password
// hashes, so every payload is encrypted before it leaves the process (AES-256-GCM), and only
// processes holding the keys — our services, the worker, and the codec endpoint for operators —
// can read them. Keys rotate: every key listed decrypts, the first one encrypts.
//
// A payload that is not encrypted is refused: whoever reaches Temporal's frontend without the keys
// (the CLI's default, a script) could otherwise start our workflows with inputs of their choosing
// and have the worker act on them. Only the operators' codec endpoint, which shows the Temporal
// UI what is there, lets such a payload through as it is.

export const ENCRYPTED_ENCODING = "binary/encrypted";
const KEY_ID_METADATA = "encryption-key-id";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

// "id:base64key" entries separated by commas or new lines; each key 32 bytes. Errors name the
// entry by position, never by its content: the text is a secret.
export function parsePayloadKeys(text: string): PayloadKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== "");
  if (entries.length === 0) throw new Error("payload keys: none given");
  const keys = entries.map((entry, i) => {
    const at = entry.indexOf(":");
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1), "base64");
    if (at < 1 || !KEY_ID.test(id)) throw new Error(`payload keys: entry ${i + 1} must be "id:base64key" with an id of A-Z a-z 0-9 . _ -`);
    if (key.length !== 32) throw new Error(`payload keys: key "${id}" must be 32 bytes of base64, for AES-256`);
    return { id, key };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error("payload keys: ids must differ");
  return keys;
}

// PAYLOAD_KEYS, or the file PAYLOAD_KEYS_FILE names (a mounted secret).
export function payloadKeysFromEnv(): PayloadKey[] {
  const file = envOptional("PAYLOAD_KEYS_FILE");
  const text = envOptional("PAYLOAD_KEYS") ?? (file !== undefined ? readFileSync(file, "utf8") : undefined);
  if (text === undefined) throw new Error("environment variable PAYLOAD_KEYS (or PAYLOAD_KEYS_FILE) is required");
  return parsePayloadKeys(text);
}

// A new key entry, for `make dev`, the tests and operators: `id:base64key`.
export function newPayloadKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(
    keys: PayloadKey[],
    private readonly options: { passUnencrypted: boolean } = { passUnencrypted: false },
  ) {
    if (keys[0] === undefined) throw new Error("payload keys: none given");
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
      // The key id is authenticated too: a payload cannot be passed off under another key's id.
      cipher.setAAD(Buffer.from(this.current.id));
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.current.id) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) {
        if (this.options.passUnencrypted) return payload;
        throw new Error("refused an unencrypted payload: FlowShield runs only workflows started with its payload codec");
      }
      const id = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const key = this.byId.get(id);
      if (key === undefined) throw new Error(`payload encrypted with key "${id}", which this process does not hold`);
      const sealed = Buffer.from(payload.data ?? []);
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error("encrypted payload is too short");
      const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

// The data converter option every Temporal client and worker of the project is created with.
export function encryptedDataConverter(keys: PayloadKey[]): { payloadCodecs: PayloadCodec[] } {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}
