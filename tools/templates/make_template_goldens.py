#!/usr/bin/python3
"""Renders public chat templates (ChatML/Qwen2, Llama 2, Mistral Instruct v0.1, Zephyr, and one exercising the rest of the
supported Jinja subset) with the reference Jinja2, in the environment Hugging Face's
apply_chat_template uses (sandboxed, trim_blocks, lstrip_blocks, loopcontrols), and writes
artifacts/fixtures/templates/goldens.json for the C# interpreter's tests.
Usage: /usr/bin/python3 tools/templates/make_template_goldens.py   (needs python3-jinja2)"""
import json
import os

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

QWEN2 = ("{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
         "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")

LLAMA2 = ("{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
          "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
          "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}"
          "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}")

MISTRAL = ("{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
           "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}")

ZEPHYR = """{% for message in messages %}
{% if message['role'] == 'user' %}
{{ '<|user|>
' + message['content'] + eos_token }}
{% elif message['role'] == 'system' %}
{{ '<|system|>
' + message['content'] + eos_token }}
{% elif message['role'] == 'assistant' %}
{{ '<|assistant|>
'  + message['content'] + eos_token }}
{% endif %}
{% if loop.last and add_generation_prompt %}
{{ '<|assistant|>' }}
{% endif %}
{% endfor %}"""

SUBSET = """{%- set ns = namespace(turns=0, sys='') -%}
{%- for m in messages if m.role != 'system' -%}
  {%- set ns.turns = ns.turns + 1 -%}
{%- endfor -%}
{%- if messages[0].role == 'system' %}{% set ns.sys = messages[0].content | trim %}{% endif -%}
[{{ ns.turns }} turns{{ ', system: ' ~ ns.sys if ns.sys }}]
{% for m in messages[-3:] -%}
  {{ loop.index }}/{{ loop.length }} {{ m['role'] | upper }}{% if loop.first %} (first){% elif loop.last %} (last){% else %} (mid){% endif %}: {{ m.content | trim | length }} chars
  {%- if m.content.startswith('Q') and 'x' not in m.content %} q{% endif %}
  {%- if m.tool is defined %} tool{% elif m.tool is not defined %} -{% endif %}
{% endfor %}
{%- for w in 'a b c'.split() %}{{ w ~ '-' }}{% if w == 'b' %}{% break %}{% endif %}{% endfor %}
{{ [1, 2, 3] | join(',') }} {{ (7 // 2) * 3 - 1 }} {{ 10 % 4 }} {{ messages | length > 2 }} {{ none is none }} {{ 'abc'[::-1] }}
{%- if add_generation_prompt %}
>>> {{ eos_token | default('EOS') }}{% endif %}"""

CONVERSATIONS = {
    "single": [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"}],
    "system": [{"role": "system", "content": " Be brief. "}, {"role": "user", "content": "Hi there"}, {"role": "assistant", "content": "Hello!"}],
    "multi": [{"role": "user", "content": "Q1: name a color"}, {"role": "assistant", "content": "Blue."},
              {"role": "user", "content": "Q2: and another with x"}, {"role": "assistant", "content": " Red. "}],
    "prompt_only": [{"role": "user", "content": "Question only"}],
    "bad_order": [{"role": "assistant", "content": "I speak first"}, {"role": "user", "content": "ok"}],
}


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def main():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.globals["raise_exception"] = raise_exception
    out = []
    for name, source in [("qwen2", QWEN2), ("llama2", LLAMA2), ("mistral", MISTRAL), ("zephyr", ZEPHYR), ("subset", SUBSET)]:
        template = env.from_string(source)
        cases = []
        for conv_name, messages in CONVERSATIONS.items():
            for agp in (False, True):
                case = {"conversation": conv_name, "messages": messages, "add_generation_prompt": agp, "bos_token": "<s>", "eos_token": "</s>"}
                try:
                    case["expected"] = template.render(messages=messages, add_generation_prompt=agp, bos_token="<s>", eos_token="</s>")
                except jinja2.exceptions.TemplateError as e:
                    case["error"] = str(e)
                cases.append(case)
        out.append({"name": name, "template": source, "cases": cases})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "artifacts", "fixtures", "templates", "goldens.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"reference": "Jinja2 " + jinja2.__version__ + " (trim_blocks, lstrip_blocks, loopcontrols)", "templates": out}, f, ensure_ascii=False, indent=1)


main()
