#!/usr/bin/python3
"""Independent check of `ortgmt data synth --task code|general` answers: runs every generated program
with Python itself and compares what it prints with the sample's answer.
Usage: /usr/bin/python3 tools/synthetic/check_code_outputs.py FILE.jsonl"""
import contextlib
import io
import json
import sys

QUESTION = "What does this program print?\n"
checked = wrong = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        sample = json.loads(line)
        if sample["task"] != "code":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(sample["prompt"][len(QUESTION):], {})
        checked += 1
        if out.getvalue().strip() != sample["answer"]:
            wrong += 1
            print(f"{sys.argv[1]}:{number}: Python prints {out.getvalue().strip()!r}, sample says {sample['answer']!r}")
print(f"{checked} programs checked, {wrong} wrong")
sys.exit(1 if wrong else 0)
