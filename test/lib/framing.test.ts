import t from 'tap';
import { createFramer } from '../../lib/framing.js';

t.test('octet counting counts UTF-8 bytes, not characters', async (t) => {
  const framer = createFramer('octet-counting');
  const message = '<86>1 - - - - - CEF:0|ö|€|𝄞'; // 2-, 3- and 4-byte characters
  const frame = framer.frame(message);
  const bytes = Buffer.byteLength(message);
  t.equal(bytes, message.length + 1 + 2 + 2); // 𝄞 is two UTF-16 units but four bytes
  t.equal(frame.toString('utf8'), `${bytes} ${message}`);
  t.equal(framer.frame('x').toString(), '1 x');
});

t.test('octet counting keeps embedded LF inside the frame', async (t) => {
  const frame = createFramer('octet-counting').frame('a\nb');
  t.equal(frame.toString(), '3 a\nb');
});

t.test('frameInto packs frames back to back and refuses what does not fit', async (t) => {
  for (const framing of ['octet-counting', 'lf'] as const) {
    const framer = createFramer(framing);
    const target = Buffer.alloc(64, 0x2e);
    const n1 = framer.frameInto(target, 0, 'héllo', '<1>'); // 3 + 6 bytes
    t.equal(n1, framing === 'lf' ? 10 : 11);
    const n2 = framer.frameInto(target, n1, 'x'.repeat(20));
    t.equal(n2, framing === 'lf' ? 21 : 23);
    const expected = framing === 'lf' ? `<1>héllo\n${'x'.repeat(20)}\n` : `9 <1>héllo20 ${'x'.repeat(20)}`;
    t.equal(target.subarray(0, n1 + n2).toString('utf8'), expected);
    // lf writes nothing beyond the frame; octet counting uses the space after it as scratch (documented).
    if (framing === 'lf') t.equal(target[n1 + n2], 0x2e, 'lf: nothing beyond the frame');
    // What is left cannot take 40 more bytes: refused, and the end of the buffer is never passed.
    t.equal(framer.frameInto(target, n1 + n2, 'y'.repeat(40)), -1, `${framing}: too big`);
    t.equal(framer.frameInto(target, 64, 'z'), -1, `${framing}: full`);
  }
});

t.test('octet counting handles every length width, including non-ASCII right at the edge', async (t) => {
  const framer = createFramer('octet-counting');
  for (const size of [1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 65_000]) {
    const body = `${'é'.repeat(size >> 2)}${'a'.repeat(size - 2 * (size >> 2))}`;
    const bytes = Buffer.byteLength(body);
    t.equal(bytes, size);
    const target = Buffer.alloc(70_000);
    const n = framer.frameInto(target, 3, body);
    t.equal(target.subarray(3, 3 + n).toString('utf8'), `${size} ${body}`, `length ${size}`);
    t.same(framer.frame(body), target.subarray(3, 3 + n));
  }
});

t.test('lf appends one LF and replaces raw CR/LF, counting them', async (t) => {
  const framer = createFramer('lf');
  t.equal(framer.frame('CEF:0|a|b').toString(), 'CEF:0|a|b\n');
  t.equal(framer.lineBreaksReplaced, 0);
  t.equal(framer.frame('LEEF:2.0|a\nLEEF:2.0|forged\r\n').toString(), 'LEEF:2.0|a LEEF:2.0|forged  \n');
  const target = Buffer.alloc(64);
  const n = framer.frameInto(target, 0, 'x\ry');
  t.equal(target.subarray(0, n).toString(), 'x y\n');
  t.equal(framer.lineBreaksReplaced, 2);
  t.equal(framer.frame('ö').length, 3);
});

t.test('unknown framing throws at creation', async (t) => {
  t.throws(() => createFramer('nul' as never), {
    code: 'SIEMKIT_ERR_INVALID_OPTION',
    fields: { option: 'framing' },
  });
});

t.test(
  'a repeated header gives the same bytes as a fresh one, and a changed header is not stale',
  async (t) => {
    for (const framing of ['octet-counting', 'lf'] as const) {
      const framer = createFramer(framing);
      const target = Buffer.alloc(256);
      const heads = [
        '<86>1 2024-06-01T12:00:00.123Z h ä - - - ',
        '<86>1 2024-06-01T12:00:00.123Z h ä - - - ',
        '<85>1 x ',
      ];
      let offset = 0;
      for (const head of heads) offset += framer.frameInto(target, offset, 'CEF:0|ü', head);
      const fresh = Buffer.concat(heads.map((head) => createFramer(framing).frame('CEF:0|ü', head)));
      t.same(target.subarray(0, offset), fresh, framing);
    }
  },
);
