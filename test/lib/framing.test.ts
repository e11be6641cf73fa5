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
    const target = Buffer.alloc(16, 0x2e);
    const n1 = framer.frameInto(target, 0, 'héllo'); // 6 bytes
    t.equal(n1, framing === 'lf' ? 7 : 8);
    const fill = 'x'.repeat(16 - n1 - (framing === 'lf' ? 1 : 2));
    t.equal(framer.frameInto(target, n1, `${fill}y`), -1, `${framing}: one byte too many`);
    t.equal(target.subarray(n1).toString('latin1'), '.'.repeat(16 - n1), 'nothing written on refusal');
    t.equal(framer.frameInto(target, n1, fill), 16 - n1, `${framing}: exact fit`);
    const expected = framing === 'lf' ? `héllo\n${fill}\n` : `6 héllo${fill.length} ${fill}`;
    t.equal(target.toString('utf8'), expected);
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
