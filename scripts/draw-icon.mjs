// Draws extension/media/icon.png (128×128, RGBA): the layer stack of the activity-bar icon, light on terracotta.
// No image tools needed: shapes are rasterised here with 4×4 supersampling and written as a PNG with zlib.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const BACKGROUND = [0xc1, 0x5f, 0x3c];
const FOREGROUND = [0xf4, 0xe9, 0xdf];

const inRoundedRect = (x, y) => {
  const [lo, hi, r] = [4, 124, 24];
  const cx = Math.min(Math.max(x, lo + r), hi - r);
  const cy = Math.min(Math.max(y, lo + r), hi - r);
  return x >= lo && x <= hi && y >= lo && y <= hi && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
// The top layer: a filled rhombus centred on (64, 43).
const inTopLayer = (x, y) => Math.abs(x - 64) / 42 + Math.abs(y - 43) / 21 <= 1;
const distanceToSegment = (x, y, [ax, ay], [bx, by]) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};
// The two lower layers: chevrons drawn as round-capped strokes.
const inChevron = (x, y, top) =>
  Math.min(distanceToSegment(x, y, [22, top], [64, top + 21]), distanceToSegment(x, y, [64, top + 21], [106, top])) <=
  4.5;

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    let [cover, ink] = [0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [x, y] = [px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES];
        if (!inRoundedRect(x, y)) continue;
        cover++;
        if (inTopLayer(x, y) || inChevron(x, y, 63) || inChevron(x, y, 83)) ink++;
      }
    }
    const mix = cover === 0 ? 0 : ink / cover;
    const rgb = BACKGROUND.map((channel, i) => Math.round(channel + (FOREGROUND[i] - channel) * mix));
    row.set([...rgb, Math.round((255 * cover) / SAMPLES ** 2)], 1 + px * 4);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension', 'media', 'icon.png');
writeFileSync(target, png);
console.log(`${target}: ${png.length} bytes`);
