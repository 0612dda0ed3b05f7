// Snappy for kafkajs (which ships only gzip) on snappyjs, pure JavaScript: no native build on any machine.
// Compress writes a plain snappy block (what librdkafka and the Java client accept for record batches v2);
// decompress also reads the xerial framing the Java client writes (magic header, then size-prefixed blocks).
import { createRequire } from "node:module";
import kafkajs from "kafkajs";

const require = createRequire(import.meta.url);
// snappyjs has no types; its two functions take and return Buffers under Node.
const snappy = require("snappyjs") as { compress(b: Buffer): Buffer; uncompress(b: Buffer, maxLength?: number): Buffer };

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_LENGTH = 16; // magic (8) + version (4) + compatible version (4)

export function snappyCompress(data: Buffer): Buffer {
  return snappy.compress(data);
}

export function snappyDecompress(data: Buffer): Buffer {
  if (data.length < XERIAL_HEADER_LENGTH || !data.subarray(0, 8).equals(XERIAL_MAGIC)) return snappy.uncompress(data);
  const blocks: Buffer[] = [];
  let at = XERIAL_HEADER_LENGTH;
  while (at + 4 <= data.length) {
    const size = data.readUInt32BE(at);
    at += 4;
    blocks.push(snappy.uncompress(data.subarray(at, at + size)));
    at += size;
  }
  return Buffer.concat(blocks);
}

let registered = false;

/** Registers the codec with kafkajs once per process (kafkajs keeps codecs in a module-level table). */
export function registerSnappyCodec(): void {
  if (registered) return;
  const codecs = kafkajs.CompressionCodecs as unknown as Record<number, () => unknown>;
  codecs[kafkajs.CompressionTypes.Snappy] = () => ({
    compress: async (encoder: { buffer: Buffer }) => snappyCompress(encoder.buffer),
    decompress: async (buffer: Buffer) => snappyDecompress(buffer),
  });
  registered = true;
}
