#!/usr/bin/python3
"""Makes artifacts/fixtures/tokenizers/spm-tiny/: a tiny SentencePiece BPE tokenizer.model in the
Llama 2 style (byte fallback, split digits, <unk>=0 <s>=1 </s>=2), trained by Google's sentencepiece,
and golden ids for test strings encoded by it. Usage: /usr/bin/python3 tools/tokenizers/make_spm_fixture.py"""
import json
import os

import sentencepiece as spm

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "..", "artifacts", "fixtures", "tokenizers", "spm-tiny")
os.makedirs(out, exist_ok=True)

spm.SentencePieceTrainer.train(
    input=os.path.join(here, "corpus.txt"),
    model_prefix=os.path.join(out, "tokenizer"),
    model_type="bpe",
    vocab_size=400,
    byte_fallback=True,
    split_digits=True,
    character_coverage=1.0,
    unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
    add_dummy_prefix=True,
    normalization_rule_name="identity",
    remove_extra_whitespaces=False,
    hard_vocab_limit=False,
    minloglevel=2,
)
os.remove(os.path.join(out, "tokenizer.vocab"))

sp = spm.SentencePieceProcessor(model_file=os.path.join(out, "tokenizer.model"))
with open(os.path.join(here, "golden_texts.json"), encoding="utf-8") as f:
    texts = json.load(f)
cases = []
for text in texts:
    ids = sp.encode(text)
    cases.append({"text": text, "ids": ids, "decoded": sp.decode(ids)})
with open(os.path.join(out, "golden.json"), "w", encoding="utf-8") as f:
    json.dump({"reference": "sentencepiece (python) " + spm.__version__, "vocab_size": sp.get_piece_size(), "cases": cases}, f, ensure_ascii=False, indent=1)
with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
    json.dump({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": None,
               "chat_template": "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' ' + message['content'] + ' ' + eos_token }}{% endif %}{% endfor %}"}, f, indent=1)
