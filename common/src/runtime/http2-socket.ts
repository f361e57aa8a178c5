import type * as net from "node:net";
import { Duplex } from "node:stream";

// Hands an already-read connection to Node's HTTP/2 server. Node's HTTP/2 session reads straight
// from the socket's native handle, so bytes put back with socket.unshift() are lost to it; a JS
// stream in front of the socket, holding the first chunk, makes it read through JavaScript instead.
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
