import t from 'tap';
import { validateEvent } from '../../lib/events.js';
import { adversarialCorpus, SPECIAL_CHARS } from './adversarial-corpus.js';

const corpus = adversarialCorpus(1, 200);
const values = corpus
  .flatMap((e) => Object.values(e).flatMap((v) => (Array.isArray(v) ? v : [v])))
  .map(String);

t.test('is deterministic per seed and differs between seeds', async (t) => {
  t.same(adversarialCorpus(1, 50), corpus.slice(0, 50));
  t.not(JSON.stringify(adversarialCorpus(2, 50)), JSON.stringify(corpus.slice(0, 50)));
});

t.test('every event passes validateEvent', async (t) => {
  for (const e of corpus) validateEvent(e);
  t.equal(corpus.length, 200);
});

t.test('covers every kind x platform', async (t) => {
  const seen = new Set(corpus.map((e) => `${e.kind}/${'platform' in e ? e.platform : '-'}`));
  t.same([...seen].sort(), [
    'alert/linux',
    'alert/macos',
    'alert/windows',
    'audit/-',
    'client-record/linux',
    'client-record/macos',
    'client-record/windows',
    'client-status/-',
  ]);
});

t.test('carries every special character, non-ASCII, long values and header imitations', async (t) => {
  // Named by code point: a raw U+2028 in an assertion message breaks the TAP stream itself.
  for (const c of SPECIAL_CHARS)
    t.ok(
      values.some((v) => v.includes(c)),
      `contains ${[...c].map((x) => `U+${x.codePointAt(0)!.toString(16).padStart(4, '0')}`).join(' ')}`,
    );
  t.ok(
    values.some((v) => /[^\x00-\x7f]/.test(v)),
    'non-ASCII',
  );
  t.ok(
    values.some((v) => /\p{Extended_Pictographic}/u.test(v)),
    'emoji',
  );
  t.ok(
    values.some((v) => v.length > 4000),
    'a value over 4000 characters',
  );
  t.ok(
    values.some((v) => v.includes('CEF:0|Evil|')),
    'a CEF header imitation',
  );
  t.ok(
    values.some((v) => v.includes('LEEF:2.0|Evil|')),
    'a LEEF header imitation',
  );
  t.ok(
    values.some((v) => v.includes(' suser=admin')),
    'a key=value imitation',
  );
});
