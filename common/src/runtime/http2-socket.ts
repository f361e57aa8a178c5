import type * as net from "node:net";
import { Duplex } from "node:stream";

// Hands an already-read connection to Node's HTTP/2 server: a JS stream in front of the socket,
// holding the first chunk, which the session reads through JavaScript. Node 24's session would also
// take the socket itself with the chunk put back (socket.unshift) and read its handle natively, but
// that measured slower: ~15 % fewer calls/s over one connection at 16 and 64 in flight (ghz against
// a listener serving health checks, 2026-12-07), and the socket's idle timer then sees no bytes.
export function http2Socket(socket: net.Socket, firstChunk: Buffer): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  stream.push(firstChunk);
  socket.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.once("end", () => stream.push(null));
  socket.once("close", () => stream.destroy());
  socket.once("error", (err) => stream.destroy(err));
  return stream;
}
