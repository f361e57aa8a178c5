import { EncryptionCodec, ENCRYPTED_ENCODING, newPayloadKeyEntry, parsePayloadKeys } from "./payload-codec";

const json = (value: unknown) => ({ metadata: { encoding: Buffer.from("json/plain") }, data: Buffer.from(JSON.stringify(value)) });
const text = (payload: { data?: Uint8Array | null } | undefined) => Buffer.from(payload?.data ?? []).toString();

describe("EncryptionCodec", () => {
  const [current, previous] = [newPayloadKeyEntry("k2"), newPayloadKeyEntry("k1")];

  test("round-trips payloads, and the encoded bytes hide them", async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(current));
    const [encoded] = await codec.encode([json({ email: "ada@example.com" })]);
    expect(Buffer.from(encoded!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(encoded!.data!).includes("ada@example.com")).toBe(false);
    const [decoded] = await codec.decode([encoded!]);
    expect(JSON.parse(text(decoded))).toEqual({ email: "ada@example.com" });
    expect(Buffer.from(decoded!.metadata!.encoding!).toString()).toBe("json/plain");
  });

  test("rotation: the first key encrypts, every listed key decrypts", async () => {
    const old = new EncryptionCodec(parsePayloadKeys(previous));
    const rotated = new EncryptionCodec(parsePayloadKeys(`${current}\n${previous}`));
    const [fromBefore] = await old.encode([json("before")]);
    expect(JSON.parse(text((await rotated.decode([fromBefore!]))[0]))).toBe("before");
    const [fromAfter] = await rotated.encode([json("after")]);
    expect(Buffer.from(fromAfter!.metadata!["encryption-key-id"]!).toString()).toBe("k2");
    await expect(old.decode([fromAfter!])).rejects.toThrow('key "k2"');
  });

  test("a tampered payload, or one relabelled with another key's id, does not decrypt", async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`${current},${previous}`));
    const [encoded] = await codec.encode([json("secret")]);
    const flipped = Buffer.from(encoded!.data!);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...encoded!, data: flipped }])).rejects.toThrow();
    const relabelled = { ...encoded!, metadata: { ...encoded!.metadata, "encryption-key-id": Buffer.from("k1") } };
    await expect(codec.decode([relabelled])).rejects.toThrow();
  });

  test("payloads that were never encrypted are refused, except by the operators' codec endpoint", async () => {
    const plain = json("plain");
    await expect(new EncryptionCodec(parsePayloadKeys(current)).decode([plain])).rejects.toThrow(/refused an unencrypted payload/);
    expect(await new EncryptionCodec(parsePayloadKeys(current), { passUnencrypted: true }).decode([plain])).toEqual([plain]);
  });
});

describe("parsePayloadKeys", () => {
  test.each([
    ["", /none given/],
    ["no-colon", /entry 1/],
    ["k1:c2hvcnQ=", /32 bytes/],
    [`${newPayloadKeyEntry("same")},${newPayloadKeyEntry("same")}`, /ids must differ/],
    [`bad id:${Buffer.alloc(32).toString("base64")}`, /entry 1/],
  ])("refuses %p", (given, reason) => {
    expect(() => parsePayloadKeys(given)).toThrow(reason);
  });

  test("never echoes key material in its errors", () => {
    const material = Buffer.alloc(31, 7).toString("base64");
    try {
      parsePayloadKeys(`k:${material}`);
      throw new Error("accepted a short key");
    } catch (err) {
      expect((err as Error).message).not.toContain(material);
    }
  });
});
