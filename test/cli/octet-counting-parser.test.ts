import t from 'tap';
import { OctetCountingParser } from '../../cli/octet-counting-parser.js';

const frame = (message: string) => {
  const bytes = Buffer.from(message);
  return Buffer.concat([Buffer.from(`${bytes.length} `), bytes]);
};

t.test('frames split at every byte boundary come out whole and in order', async (t) => {
  const messages = ['<13>1 - - - - - - CEF:0|a|b|1|100|x|3|msg=one', 'zwei Grüße 🙂', 'x'.repeat(300)];
  const stream = Buffer.concat(messages.map(frame));
  for (const size of [1, 2, 3, 7, stream.length]) {
    const parser = new OctetCountingParser();
    const out: string[] = [];
    for (let i = 0; i < stream.length; i += size) {
      out.push(...parser.push(stream.subarray(i, i + size)).map((m) => m.toString()));
    }
    t.same(out, messages, `chunks of ${size}`);
    t.equal(parser.pendingBytes, 0);
  }
});

t.test('a message holding a newline or a forged length stays one message', async (t) => {
  const parser = new OctetCountingParser();
  const tricky = 'a\n12 forged\nb';
  t.same(parser.push(frame(tricky)).map(String), [tricky]);
});

t.test('a bad length is an error, not a guess', async (t) => {
  t.throws(() => new OctetCountingParser().push(Buffer.from('abc hello')), /bad frame length/);
  t.throws(() => new OctetCountingParser().push(Buffer.from('05 hello')), /bad frame length/);
  t.throws(() => new OctetCountingParser().push(Buffer.from('1234567890123')), /too long/);
});
