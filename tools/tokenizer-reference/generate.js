// Writes Quamba.Tests/Tokenization/Data/hf_tokenizer_reference.json: strings and the ids that the
// Hugging Face tokenizers library (its Node binding, npm package "tokenizers") gives them, for
// models/mamba1-tiny/tokenizer.json and for variants of it that exercise other tokenizer.json options.
//
//   cd "$(mktemp -d)" && npm install tokenizers@0.23.2 && NODE_PATH=$PWD/node_modules \
//     node /path/to/repo/tools/tokenizer-reference/generate.js /path/to/repo
//
// Deterministic: random strings come from a seeded generator. A variant is described by the edits the C#
// tests apply to the base file ("set": top-level keys to replace, "append_added_tokens",
// "merges_as_strings"), so the data stays small.
const { Tokenizer } = require('tokenizers');
const fs = require('fs');
const path = require('path');

const repo = process.argv[2] || path.resolve(__dirname, '../..');
const baseJson = JSON.parse(fs.readFileSync(path.join(repo, 'models/mamba1-tiny/tokenizer.json'), 'utf8'));

function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20240611);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const cp = (n) => String.fromCodePoint(n);

const fragments = [
  'the', 'The', ' the', 'Hello', 'world', "don't", "we'll", "I'm", "they're", "it's", "you've", "he'd", "'s", "'S", "''", "'",
  ' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', ' \n ', '\u00a0', '\u2028', '\u0085', '\u3000', '\u2003', '\u000b', '\u000c',
  '0', '12', '345', '2024', '3.14', '1,000', '\u0663\u0664', '\u00bd', '\u2167',
  '.', ',', '!', '?', '...', '--', '**', '#', '$', '%', '(', ')', '[', ']', '{', '}', '<', '>', '|', '@', '_', '~', '`', '"', '\\', '/',
  'caf\u00e9', 'cafe\u0301', 'na\u00efve', '\u00c5ngstr\u00f6m', 'A\u030a', '\u212b', '\u1e9b\u0323', 'q\u0307\u0323', '\u0338',
  '\u4e2d\u6587', '\u65e5\u672c\u8a9e', '\ud55c\uad6d\uc5b4', '\u1100\u1161\u11a8', '\u0627\u0644\u0639\u0631\u0628\u064a\u0629', '\u05e2\u05d1\u05e8\u05d9\u05ea', '\u0928\u092e\u0938\u094d\u0924\u0947', '\u0e44\u0e17\u0e22',
  '\u{1F600}', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}', '\u{1F44D}\u{1F3FD}', '\u{1F1EB}\u{1F1F7}', '\u2764\ufe0f', '\u{1D400}\u{1D401}', '\u{20000}', 'a\u{20000}b', '\u{1D7CE}\u{1D7CF}', '\u{10400}',
  '\u0000', '\u0001', '\u001b[0m', '\u007f', '\u0080', '\u009f', '\ufeff', '\u200b', '\ufffd', '\uffff',
  '<|endoftext|>', '<|endoftext', '|endoftext|>', '<|padding|>', '<|', '|>', '<|endoftext|><|endoftext|>',
  'x=1;', 'y = x**2', '# comment', 'http://example.com/a?b=c', 'foo_bar', 'CamelCase', 'ALLCAPS', 'e-mail',
];
function randomString() {
  const n = 1 + Math.floor(rand() * 12);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.7) s += pick(fragments);
    else if (r < 0.8) s += cp(32 + Math.floor(rand() * 95));
    else if (r < 0.9) s += cp(0xa0 + Math.floor(rand() * 0x2000));
    else if (r < 0.95) s += cp(0x3000 + Math.floor(rand() * 0x6000));
    else s += cp(0x10000 + Math.floor(rand() * 0x20000));
    if (rand() < 0.3) s += ' ';
  }
  return s;
}

const curated = [
  '', ' ', '  ', '\n', ' \n', '\n ', 'a', ' a', '  a', '   a', 'a ', 'a  ', '\ta', '\t a', ' \ta', 'a\n\nb', 'a \n b',
  'Hello world', 'Hello  world', 'Hello \tworld', "I'm here, aren't you? We'll see.", "'s'S'd'll", "x'''s",
  '  leading and trailing  ', '\n\n\n', '\r\n\r\n', 'one\u00a0two', 'a\u2028b', 'a\u0085b', 'a\u3000b',
  '123 4567 89', 'v1.2.3', '\u0663\u0664\u0665', '\u00bd \u00be', '\u2460\u2461',
  'na\u00efve caf\u00e9 \u2014 \u201cquotes\u201d \u{1F600} \u4e2d\u6587', 'e\u0301\u0302', '\u1100\u1161\u11a8 \ud55c',
  '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}', '\u{1D400}\u{1D401}\u{1D402} \u{1D7CE}', 'a\u{20000}b \u{20000}\u{20001}',
  '\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008', '\u000e\u001f \u007f', 'tab\there', 'bell\u0007',
  '<|endoftext|>', 'a<|endoftext|>b', ' <|endoftext|> ', '<|endoftext|><|endoftext|>', '<|endoftext|<|endoftext|>>',
  '<|padding|>x', 'text<|endoftext|>\n\nmore text', '<|endoftext',
  'x=1; y = x**2 # comment', 'def f(a, b):\n    return a + b\n', '    indented\n\tcode', 'https://example.com/path?q=1&r=2#frag',
  'In the beginning God created the heaven and the earth.', 'A quantity of particles saline. Time goes, you say?',
  'a'.repeat(300), 'ab'.repeat(200), ' '.repeat(100) + 'x', '\u00e9'.repeat(100), '\u{1F600}'.repeat(40), '1234567890'.repeat(30),
  'Supercalifragilisticexpialidocious antidisestablishmentarianism', 'thequickbrownfoxjumpsoverthelazydog'.repeat(300), 'hyphen-ated words and under_scored_names',
];

function variant(name, edit, strings, extra) {
  const j = JSON.parse(JSON.stringify(baseJson));
  if (edit.set) Object.assign(j, JSON.parse(JSON.stringify(edit.set)));
  if (edit.append_added_tokens) j.added_tokens.push(...edit.append_added_tokens);
  if (edit.merges_as_strings) j.model.merges = j.model.merges.map((m) => m.join(' '));
  return { name, edit, tok: Tokenizer.fromString(JSON.stringify(j)), strings, extra };
}

function textEntry(s) {
  // Strings with lone surrogates are stored as UTF-16 code units (JSON readers refuse them as text).
  if (/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return { utf16: utf16Units(s) };
  return { text: s };
}
function utf16Units(s) { const a = []; for (let i = 0; i < s.length; i++) a.push(s.charCodeAt(i)); return a; }

(async () => {
  const randomStrings = [];
  for (let i = 0; i < 400; i++) randomStrings.push(randomString());
  const loneSurrogates = ['a\ud800b', '\udc00', 'x\ud83d', '\ud83d\ude00\ude00', 'a\ud800b <|endoftext|>x'];
  const evalLines = fs.readFileSync(path.join(repo, 'data/eval.txt'), 'utf8').split('\n').slice(0, 200).filter((l) => l.length > 0);

  const gpt2Pattern = baseJson.pre_tokenizer ? "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+" : null;
  const llama3Pattern = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  const asciiish = curated.concat(randomStrings.slice(0, 120)).filter((s) => !/[\u{10000}-\u{10FFFF}]/u.test(s));
  const variants = [
    variant('base', {}, curated.concat(randomStrings, loneSurrogates, evalLines)),
    variant('string_merges', { merges_as_strings: true }, curated.concat(randomStrings.slice(0, 100))),
    variant('add_prefix_space', { set: { pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true } } }, curated.concat(randomStrings.slice(0, 100))),
    variant('no_regex', { set: { pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false } } }, curated.concat(randomStrings.slice(0, 150), evalLines.slice(0, 60))),
    variant('split_gpt2_sequence', { set: { pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { Regex: gpt2Pattern }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] } } }, curated.concat(randomStrings.slice(0, 150))),
    variant('split_llama3_digits', { set: { pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Digits', individual_digits: true },
      { type: 'Split', pattern: { Regex: llama3Pattern }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] } } }, asciiish),
    variant('split_behaviors', { set: { pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithNext', invert: false },
      { type: 'Split', pattern: { Regex: '[0-9]+' }, behavior: 'MergedWithPrevious', invert: false },
      { type: 'Split', pattern: { Regex: '[.,!?]' }, behavior: 'Contiguous', invert: false },
      { type: 'Split', pattern: { String: '\n' }, behavior: 'Removed', invert: false },
      { type: 'Digits', individual_digits: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }] } } }, asciiish),
    variant('nfc', { set: { normalizer: { type: 'NFC' } } }, curated.concat(randomStrings.slice(0, 200))),
    variant('nfd_sequence', { set: { normalizer: { type: 'Sequence', normalizers: [{ type: 'NFD' }] } } }, curated.concat(randomStrings.slice(0, 100))),
    variant('added_tokens', { set: { normalizer: { type: 'NFC' } }, append_added_tokens: [
      { id: 4096, content: '<m>', single_word: true, lstrip: true, rstrip: true, normalized: false, special: true },
      { id: 4097, content: ' xyz', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false },
      { id: 4098, content: '\u00fc\u20ac', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false },
      { id: 4099, content: '\u00e9\u00e9', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false },
      { id: 4100, content: 'Abc', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false },
      { id: 4101, content: '<|endoftext|>x', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 4102, content: '[W]', single_word: true, lstrip: false, rstrip: false, normalized: false, special: false }] },
      curated.concat(randomStrings.slice(0, 60), [
        'a <m> b', 'a<m>b', 'a  <m>  b', '<m>', ' <m>', '<m> ', 'x<m> <m>y <m>', '\t<m>\t<m>\u2000', 'a xyz b', 'axyz', ' xyz xyz',
        '\u00fc\u20ac\u00fc\u20ac', 'e\u0301e\u0301 caf\u00e9\u00e9', '\u00e9\u00e9', 'xAbcx Abc', '<|endoftext|>x <|endoftext|>y',
        '[W] a[W] [W]b, [W]. \u00e9[W] _[W]', '<m><m><m>', 'A\u030abc'])),
  ];

  const out = { generator: 'tools/tokenizer-reference/generate.js', hf_tokenizers: require('tokenizers/package.json').version, variants: [] };
  for (const v of variants) {
    const cases = [];
    for (const s of v.strings) {
      const e = await v.tok.encode(s);
      const entry = textEntry(s);
      entry.ids = e.getIds();
      entry.decoded = await v.tok.decode(entry.ids, false);
      cases.push(entry);
    }
    out.variants.push({ name: v.name, edit: v.edit, cases });
  }

  // Decoding of arbitrary id sequences (many split multi-byte characters: U+FFFD handling).
  const base = variants[0].tok;
  const decodes = [];
  const dr = mulberry32(7);
  for (let i = 0; i < 300; i++) {
    const n = 1 + Math.floor(dr() * 12);
    const ids = [];
    for (let k = 0; k < n; k++) ids.push(dr() < 0.5 ? 96 + Math.floor(dr() * 160) : Math.floor(dr() * 4096));
    decodes.push({ ids, text: await base.decode(ids, false) });
  }
  out.decode = decodes;

  // Whole files, as the perplexity protocol tokenizes them: documents split on blank lines, each followed by 0.
  out.files = [];
  for (const f of ['data/eval.txt', 'data/calib.txt']) {
    const docs = fs.readFileSync(path.join(repo, f), 'utf8').split('\n\n');
    const stream = [];
    for (const d of docs) { const e = await base.encode(d); stream.push(...e.getIds(), 0); }
    let h = 0x811c9dc5; // FNV-1a over the ids as little-endian int32
    for (const id of stream) for (let b = 0; b < 4; b++) { h ^= (id >>> (8 * b)) & 0xff; h = Math.imul(h, 0x01000193) >>> 0; }
    out.files.push({ path: f, documents: docs.length, tokens: stream.length, fnv1a32: h, first_ids: stream.slice(0, 256) });
  }
  const dst = path.join(repo, 'Quamba.Tests/Tokenization/Data/hf_tokenizer_reference.json');
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.writeFileSync(dst, JSON.stringify(out) + '\n');
  console.log(dst, out.variants.map((v) => `${v.name}:${v.cases.length}`).join(' '), out.files.map((f) => `${f.path}:${f.tokens}`).join(' '));
})();
