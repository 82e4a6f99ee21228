// Makes artifacts/fixtures/tokenizers/bpe-tiny/: a tiny byte-level BPE tokenizer.json (GPT-2 style)
// trained by Hugging Face's own `tokenizers` library, and golden ids for test strings encoded by it;
// and bpe-tiny-split/: the same vocabulary behind Llama 3's pre-tokenizer (Split regex + ByteLevel).
// Usage (outside the repository): mkdir /tmp/hf && cd /tmp/hf && npm install tokenizers@0.23.2
//   NODE_PATH=/tmp/hf/node_modules node tools/tokenizers/make_bpe_fixture.js
const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');

const here = __dirname;
const fixtures = path.join(here, '..', '..', 'artifacts', 'fixtures', 'tokenizers');
const out = path.join(fixtures, 'bpe-tiny');
fs.mkdirSync(out, { recursive: true });

// Llama 3's pre-tokenizer, as in its tokenizer.json.
const LLAMA3_SPLIT = {
  type: 'Sequence',
  pretokenizers: [
    {
      type: 'Split',
      pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" },
      behavior: 'Isolated',
      invert: false,
    },
    { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
  ],
};

async function writeGolden(dir) {
  const reference = tk.Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  const texts = JSON.parse(fs.readFileSync(path.join(here, 'golden_texts.json'), 'utf8'));
  const cases = [];
  for (const text of texts) {
    const enc = await reference.encode(text, null, { addSpecialTokens: false });
    const ids = enc.getIds();
    cases.push({ text, ids, decoded: await reference.decode(ids, false) });
  }
  fs.writeFileSync(path.join(dir, 'golden.json'), JSON.stringify({ reference: 'tokenizers (npm) 0.23.2', vocab_size: reference.getVocabSize(true), cases }, null, 1));
}

async function main() {
  const tokenizer = new tk.Tokenizer(tk.BPE.empty());
  tokenizer.setPreTokenizer(tk.byteLevelPreTokenizer(false, true));
  tokenizer.train([path.join(here, 'corpus.txt')]);
  const tmp = path.join(out, 'trained.tmp.json');
  tokenizer.save(tmp, true);

  // The default trainer only learns the characters it saw: add the rest of the 256-symbol byte
  // alphabet so every UTF-8 input encodes, a ByteLevel decoder, and the special tokens.
  const json = JSON.parse(fs.readFileSync(tmp, 'utf8'));
  fs.unlinkSync(tmp);
  const vocab = json.model.vocab;
  let next = Math.max(...Object.values(vocab)) + 1;
  for (const ch of [...tk.byteLevelAlphabet()].sort()) if (!(ch in vocab)) vocab[ch] = next++;
  json.decoder = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true };
  json.added_tokens = [];
  for (const special of ['<|endoftext|>', '<|im_start|>', '<|im_end|>']) {
    json.added_tokens.push({ id: next++, content: special, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  }
  fs.writeFileSync(path.join(out, 'tokenizer.json'), JSON.stringify(json, null, 1));
  fs.writeFileSync(path.join(out, 'tokenizer_config.json'), JSON.stringify({
    bos_token: null, eos_token: '<|im_end|>', pad_token: '<|endoftext|>',
    chat_template: "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
  }, null, 1));

  await writeGolden(out);

  const split = path.join(fixtures, 'bpe-tiny-split');
  fs.mkdirSync(split, { recursive: true });
  json.pre_tokenizer = LLAMA3_SPLIT;
  fs.writeFileSync(path.join(split, 'tokenizer.json'), JSON.stringify(json, null, 1));
  await writeGolden(split);
}
main();
