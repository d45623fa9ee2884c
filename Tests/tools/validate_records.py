#!/usr/bin/env python3
"""Checks annotation records with an independent reader: each line of annotations.jsonl must
validate against the JSON Schema of the output contract, and every span must satisfy
text[start:end] == span.text in Unicode code points. Exit 0 when all hold, 1 otherwise.

usage: validate_records.py SCHEMA annotations.jsonl [more.jsonl ...]
"""
import json
import sys

import jsonschema


def spans(record):
    for kind in ("sections", "entities", "citations", "references"):
        for item in record[kind]:
            yield kind, item


def check(schema, path):
    validator = jsonschema.Draft202012Validator(schema)
    problems = 0
    records = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            record = json.loads(line)
            records += 1
            for e in validator.iter_errors(record):
                problems += 1
                print(f"{path}:{n}: schema: {e.message} at {list(e.absolute_path)}")
            text = record["text"]
            if record["document"]["textLength"] != len(text):
                problems += 1
                print(f"{path}:{n}: textLength {record['document']['textLength']} != {len(text)}")
            ids = {}
            for kind, item in spans(record):
                s, e = item["start"], item["end"]
                if not (0 <= s <= e <= len(text)):
                    problems += 1
                    print(f"{path}:{n}: {kind} span {s}..{e} outside the text")
                    continue
                if "text" in item and text[s:e] != item["text"]:
                    problems += 1
                    print(f"{path}:{n}: {kind} {item.get('id')} text {item['text']!r} != {text[s:e]!r}")
                if "id" in item:
                    ids[item["id"]] = kind
            for c in record["citations"]:
                for r in c["references"]:
                    if ids.get(r) != "references":
                        problems += 1
                        print(f"{path}:{n}: citation {c['id']} names unknown reference {r}")
            for f_ in record["findings"]:
                for key, kind in (("citations", "citations"), ("references", "references"), ("entities", "entities")):
                    for i in f_.get(key, []):
                        if ids.get(i) != kind:
                            problems += 1
                            print(f"{path}:{n}: finding {f_['id']} names unknown {kind[:-1]} {i}")
    print(f"{path}: {records} records, {problems} problems")
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    total = sum(check(schema, p) for p in sys.argv[2:])
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
