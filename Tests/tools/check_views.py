#!/usr/bin/env python3
"""Independent readers for assay's views: each reads an export with Python's standard library only
and checks it against the annotation records it was made from (annotations.jsonl).
Prints problems and exits 1 if any, else prints "ok: ..." and exits 0.

usage:
  check_views.py webanno RECORDS.jsonl OUT.jsonld
  check_views.py brat    RECORDS.jsonl FOLDER
  check_views.py sqlite  RECORDS.jsonl DB.sqlite
  check_views.py csv     RECORDS.jsonl FINDINGS.csv
  check_views.py png-colors FILE.png RRGGBB[/TOLERANCE] ...   (prints a JSON object: colour -> pixel count)
  check_views.py html-tags FILE.html   (prints a JSON object: the title, tag counts, event-handler
                                        attributes and javascript: URLs, as Python's HTML parser sees them)
"""
import csv
import json
import os
import sqlite3
import struct
import sys
import zlib

problems = []


def problem(msg):
    problems.append(msg)
    print("problem:", msg)


def load_records(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def spans_by_id(record):
    out = {}
    for kind in ("entities", "citations", "references"):
        for item in record[kind]:
            out[item["id"]] = (kind, item)
    return out


def first_span(record, finding):
    index = spans_by_id(record)
    spans = [index[i][1] for key in ("citations", "references", "entities") for i in finding.get(key, []) if i in index]
    if not spans:
        return None
    return min(spans, key=lambda s: (s["start"], s["end"]))


# ---------------------------------------------------------------- W3C Web Annotations

def check_webanno(records, path):
    with open(path, encoding="utf-8") as f:
        collections = json.load(f)
    if not isinstance(collections, list):
        problem("top level is not a list of collections")
        return
    if len(collections) != len(records):
        problem(f"{len(collections)} collections for {len(records)} records")
    annotations = 0
    for record, coll in zip(records, collections):
        doc = record["document"]
        text = record["text"]
        src = "urn:assay:" + doc["id"]
        ctx = coll.get("@context")
        if not (ctx == "http://www.w3.org/ns/anno.jsonld" or (isinstance(ctx, list) and ctx[0] == "http://www.w3.org/ns/anno.jsonld")):
            problem(f"{doc['id']}: @context is {ctx!r}")
        if coll.get("type") != "AnnotationCollection":
            problem(f"{doc['id']}: type {coll.get('type')!r}")
        page = coll.get("first", {})
        if page.get("type") != "AnnotationPage":
            problem(f"{doc['id']}: first page type {page.get('type')!r}")
        items = page.get("items", [])
        expected = len(record["entities"]) + len(record["citations"]) + len(record["references"]) + len(record["findings"])
        if coll.get("total") != expected or len(items) != expected:
            problem(f"{doc['id']}: total {coll.get('total')} / {len(items)} items, expected {expected}")
        by_id = {a["id"]: a for a in items}
        ids = set()
        for a in items:
            annotations += 1
            if a.get("type") != "Annotation":
                problem(f"{a.get('id')}: type {a.get('type')!r}")
            if a["id"] in ids:
                problem(f"duplicate annotation id {a['id']}")
            ids.add(a["id"])
            targets = a["target"] if isinstance(a["target"], list) else [a["target"]]
            for t in targets:
                if isinstance(t, str):
                    if t != src:
                        problem(f"{a['id']}: target {t!r}")
                    continue
                if t.get("source") != src:
                    problem(f"{a['id']}: target source {t.get('source')!r}")
                sels = {s["type"]: s for s in t["selector"]}
                pos, quote = sels.get("TextPositionSelector"), sels.get("TextQuoteSelector")
                if not pos or not quote:
                    problem(f"{a['id']}: selectors {list(sels)}")
                    continue
                s, e = pos["start"], pos["end"]
                if text[s:e] != quote["exact"]:
                    problem(f"{a['id']}: exact {quote['exact']!r} != text[{s}:{e}] {text[s:e]!r}")
                if text[max(0, s - 32):s] != quote["prefix"] or text[e:e + 32] != quote["suffix"]:
                    problem(f"{a['id']}: prefix/suffix do not match the text")
                # the quote selector re-finds the span (the position selector picks among repeats)
                whole = quote["prefix"] + quote["exact"] + quote["suffix"]
                if text.find(whole, s - len(quote["prefix"])) != s - len(quote["prefix"]):
                    problem(f"{a['id']}: quote does not re-anchor at {s}")

        def values(a, purpose):
            return [b["value"] for b in a["body"] if b.get("purpose") == purpose and "value" in b]

        for e in record["entities"]:
            a = by_id.get(f"{src}:{e['id']}")
            if a is None:
                problem(f"no annotation for entity {e['id']}")
                continue
            if e["type"] not in values(a, "tagging"):
                problem(f"entity {e['id']}: type {e['type']} not in bodies")
            if "key" in e and e["key"] not in values(a, "identifying"):
                problem(f"entity {e['id']}: key {e['key']} not in bodies")
            t = a["target"][0]["selector"][0]
            if (t["start"], t["end"]) != (e["start"], e["end"]):
                problem(f"entity {e['id']}: position {t} != {e['start']}..{e['end']}")
        for c in record["citations"]:
            a = by_id.get(f"{src}:{c['id']}")
            if a is None:
                problem(f"no annotation for citation {c['id']}")
                continue
            links = [b["source"] for b in a["body"] if b.get("type") == "SpecificResource"]
            if links != [f"{src}:{r}" for r in c["references"]]:
                problem(f"citation {c['id']}: links {links} != {c['references']}")
            for l in links:
                if l not in by_id:
                    problem(f"citation {c['id']}: link {l} names no annotation")
        for r in record["references"]:
            if f"{src}:{r['id']}" not in by_id:
                problem(f"no annotation for reference {r['id']}")
        for f_ in record["findings"]:
            a = by_id.get(f"{src}:{f_['id']}")
            if a is None:
                problem(f"no annotation for finding {f_['id']}")
                continue
            if a.get("motivation") != "assessing":
                problem(f"finding {f_['id']}: motivation {a.get('motivation')}")
            if f_["message"] not in values(a, "assessing") or f_["kind"] not in values(a, "tagging") \
                    or f_["severity"] not in values(a, "classifying"):
                problem(f"finding {f_['id']}: kind/severity/message not in bodies")
            index = spans_by_id(record)
            named = [index[i][1] for k in ("citations", "references", "entities") for i in f_.get(k, [])]
            got = sorted((t["selector"][0]["start"], t["selector"][0]["end"]) for t in a["target"] if not isinstance(t, str))
            if got != sorted((s["start"], s["end"]) for s in named):
                problem(f"finding {f_['id']}: targets {got}")
    print(f"ok: {len(collections)} collections, {annotations} annotations")


# ---------------------------------------------------------------- brat standoff

def read_conf(path):
    sections, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = line[1:-1]
                sections[current] = []
            elif current:
                sections[current].append(line)
    return sections


def check_brat(records, folder):
    conf = read_conf(os.path.join(folder, "annotation.conf"))
    for s in ("entities", "relations", "events", "attributes"):
        if s not in conf:
            problem(f"annotation.conf has no [{s}] section")
    entity_types = {l.strip() for l in conf.get("entities", [])}
    relation_types = {l.split()[0] for l in conf.get("relations", []) if not l.startswith("<")}
    attribute_types = {l.split()[0] for l in conf.get("attributes", [])}
    stems = sorted(n[:-4] for n in os.listdir(folder) if n.endswith(".ann"))
    if len(stems) != len(records):
        problem(f"{len(stems)} .ann files for {len(records)} records")
    textbounds = notes_total = 0
    for record in records:
        doc = record["document"]
        matches = [s for s in stems if s.endswith("-" + doc["id"][:8])]
        if len(matches) != 1:
            problem(f"{doc['id']}: files {matches}")
            continue
        stem = matches[0]
        # brat reads the text in Python text mode (universal newlines) and counts code points.
        with open(os.path.join(folder, stem + ".txt"), encoding="utf-8") as f:
            text = f.read()
        if text != record["text"].replace("\r", "\n"):
            problem(f"{stem}.txt differs from the record's text")
        ts, notes = {}, {}
        with open(os.path.join(folder, stem + ".ann"), encoding="utf-8") as f:
            lines = f.readlines()
        for n, line in enumerate(lines, 1):
            if not line.endswith("\n"):
                problem(f"{stem}.ann:{n}: no line end")
            ident, tail = line.rstrip("\n").split("\t", 1)
            if ident[0] == "T":
                # the rules of brat's TextAnnotations._parse_textbound_annotation
                data, text_col = tail.split("\t", 1)
                typ, offsets = data.split(" ", 1)
                frags = [tuple(int(x) for x in part.split(" ")) for part in offsets.split(";")]
                seen = []
                for s, e in frags:
                    if not (0 <= s <= e <= len(text)):
                        problem(f"{stem}.ann:{n}: fragment {s} {e} outside the text")
                    for os_, oe in seen:
                        if e >= os_ and s < oe:
                            problem(f"{stem}.ann:{n}: fragments overlap")
                    seen.append((s, e))
                    if "\n" in text[s:e] or "\r" in text[s:e]:
                        problem(f"{stem}.ann:{n}: fragment {s} {e} contains a line break")
                    if s == e:
                        problem(f"{stem}.ann:{n}: empty fragment")
                if text_col != " ".join(text[s:e] for s, e in frags):
                    problem(f"{stem}.ann:{n}: text {text_col!r} does not match the fragments")
                if typ not in entity_types:
                    problem(f"{stem}.ann:{n}: type {typ} not declared in annotation.conf")
                ts[ident] = (typ, frags)
                textbounds += 1
            elif ident[0] == "R":
                typ, a1, a2 = tail.split()
                if typ not in relation_types:
                    problem(f"{stem}.ann:{n}: relation {typ} not declared")
                for arg in (a1, a2):
                    if arg.split(":")[1] not in ts:
                        problem(f"{stem}.ann:{n}: argument {arg} names no T")
            elif ident[0] == "A":
                typ, target, value = tail.split()
                if typ not in attribute_types or target not in ts or value not in ("error", "warning", "info"):
                    problem(f"{stem}.ann:{n}: attribute line {tail!r}")
            elif ident[0] == "#":
                data, note = tail.split("\t", 1)
                typ, target = data.split()
                if typ != "AnnotatorNotes" or target not in ts:
                    problem(f"{stem}.ann:{n}: note on {target}")
                if target in notes:
                    problem(f"{stem}.ann:{n}: second note on {target}")
                notes[target] = note
                notes_total += 1
            else:
                problem(f"{stem}.ann:{n}: unexpected line {line!r}")
        # Every span of the record is a T with the same code point extent (less the line breaks).
        by_extent = {}
        for t, (typ, frags) in ts.items():
            by_extent.setdefault((frags[0][0], frags[-1][1], typ), t)
        t_of = {}
        for key, typ in (("entities", None), ("citations", "citation"), ("references", "reference")):
            for item in record[key]:
                s, e = item["start"], item["end"]
                while s < e and text[s] in "\r\n":
                    s += 1
                while e > s and text[e - 1] in "\r\n":
                    e -= 1
                t = by_extent.get((s, e, typ or item["type"]))
                if t is None:
                    problem(f"{stem}: {item['id']} ({s}..{e}) has no T")
                    continue
                t_of[item["id"]] = t
                expected = [p for p in item["text"].replace("\r", "\n").split("\n") if p]
                got = [text[a:b] for a, b in ts[t][1]]
                if got != expected:
                    problem(f"{stem}: {item['id']} fragments {got} != {expected}")
        for c in record["citations"]:
            for r in c["references"]:
                line = f"resolves_to Arg1:{t_of.get(c['id'])} Arg2:{t_of.get(r)}"
                if not any(l.rstrip("\n").endswith("\t" + line) for l in lines):
                    problem(f"{stem}: no relation {c['id']} -> {r}")
        for f_ in record["findings"]:
            first = first_span(record, f_)
            if first is None:
                continue
            note = notes.get(t_of.get(first["id"]), "")
            if f"{f_['severity']} {f_['kind']} {f_['id']}: " not in note or " ".join(f_["message"].split()) not in " ".join(note.split()):
                problem(f"{stem}: finding {f_['id']} not in the note of {first['id']}")
    print(f"ok: {len(records)} documents, {textbounds} textbounds, {notes_total} notes")


# ---------------------------------------------------------------- SQLite

def check_sqlite(records, path):
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
    for t in ("documents", "sections", "entities", "citations", "citation_links", "references", "findings", "finding_spans", "text_search"):
        if t not in tables:
            problem(f"no table {t}")
    if db.execute("PRAGMA foreign_key_check").fetchall():
        problem("foreign key violations")
    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problem("integrity check failed")
    # The indexes the usual questions need are used.
    for sql, index in (("SELECT document_id FROM entities WHERE key = 'cedaw'", "entities_key"),
                       ("SELECT * FROM findings WHERE severity = 'error'", "findings_severity"),
                       ("SELECT reference_id, count(*) FROM citation_links WHERE document_id = 'x' GROUP BY reference_id", "citation_links_reference")):
        plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN " + sql))
        if index not in plan:
            problem(f"{sql!r} does not use {index}: {plan}")
    ids = [r["document"]["id"] for r in records]
    n_docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    if n_docs != len(set(ids)):
        problem(f"{n_docs} documents in the database, {len(set(ids))} records")
    for record in records:
        d = record["document"]
        text = record["text"]
        row = db.execute("SELECT source, media_type, sha256, title, text_length, text FROM documents WHERE id = ?", (d["id"],)).fetchone()
        if row is None:
            problem(f"document {d['id']} missing")
            continue
        if row != (d["source"], d["mediaType"], d["sha256"], d.get("title"), d["textLength"], text):
            problem(f"document {d['id']}: row differs")
        for table, key in (("sections", "sections"), ("entities", "entities"), ("citations", "citations"),
                           ('"references"', "references"), ("findings", "findings")):
            n = db.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?", (d["id"],)).fetchone()[0]
            if n != len(record[key]):
                problem(f"{d['id']}: {n} rows in {table}, {len(record[key])} in the record")
        for table, key in (("entities", "entities"), ("citations", "citations"), ('"references"', "references")):
            for item in record[key]:
                r = db.execute(f'SELECT start, "end", text FROM {table} WHERE document_id = ? AND id = ?', (d["id"], item["id"])).fetchone()
                if r is None or r != (item["start"], item["end"], item["text"]) or text[r[0]:r[1]] != r[2]:
                    problem(f"{d['id']} {item['id']}: row {r}")
        for e in record["entities"]:
            r = db.execute("SELECT type, key, label FROM entities WHERE document_id = ? AND id = ?", (d["id"], e["id"])).fetchone()
            if r != (e["type"], e.get("key"), e.get("label")):
                problem(f"{d['id']} {e['id']}: {r}")
        links = sorted(db.execute("SELECT citation_id, reference_id FROM citation_links WHERE document_id = ?", (d["id"],)).fetchall())
        if links != sorted((c["id"], r) for c in record["citations"] for r in c["references"]):
            problem(f"{d['id']}: citation links {links}")
        for f_ in record["findings"]:
            r = db.execute("SELECT kind, severity, message, score FROM findings WHERE document_id = ? AND id = ?", (d["id"], f_["id"])).fetchone()
            if r is None or r[:3] != (f_["kind"], f_["severity"], f_["message"]) or (r[3] is None) != ("score" not in f_) \
                    or (r[3] is not None and abs(r[3] - f_["score"]) > 1e-9):
                problem(f"{d['id']} {f_['id']}: {r}")
            spans = sorted(db.execute("SELECT span_type, span_id FROM finding_spans WHERE document_id = ? AND finding_id = ?", (d["id"], f_["id"])).fetchall())
            want = sorted([("citation", i) for i in f_.get("citations", [])] + [("reference", i) for i in f_.get("references", [])]
                          + [("entity", i) for i in f_.get("entities", [])])
            if spans != want:
                problem(f"{d['id']} {f_['id']}: spans {spans} != {want}")
        # Full-text search finds the document by a word of its text.
        words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if len(w) > 5 and w.isascii()]
        if words:
            hits = [r[0] for r in db.execute("SELECT d.id FROM text_search JOIN documents d ON d.doc_no = text_search.rowid WHERE text_search MATCH ?", ('"' + words[0] + '"',))]
            if d["id"] not in hits:
                problem(f"{d['id']}: full-text search for {words[0]!r} misses it")
    print(f"ok: {n_docs} documents, " + ", ".join(f"{t} {db.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}"
                                                 for t in ("entities", "citations", '"references"', "citation_links", "findings")))


# ---------------------------------------------------------------- CSV

def check_csv(records, path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problem("the CSV starts with a BOM")
    if raw and not raw.endswith(b"\r\n"):
        problem("rows do not end with CRLF")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = ["document_id", "source", "finding_id", "kind", "severity", "message", "text_line", "text_column",
              "span_text", "citations", "references", "entities", "score"]
    if rows[0] != header:
        problem(f"header {rows[0]}")
    body = rows[1:]
    expected = [(r, f_) for r in records for f_ in r["findings"]]
    if len(body) != len(expected):
        problem(f"{len(body)} rows for {len(expected)} findings")

    def cell(v):  # formula guard: a leading apostrophe before = + - @
        return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r") else v

    for row, (record, f_) in zip(body, expected):
        row = [cell(v) for v in row]
        d = dict(zip(header, row))
        if (d["document_id"], d["source"], d["finding_id"], d["kind"], d["severity"], d["message"]) != \
                (record["document"]["id"], record["document"]["source"], f_["id"], f_["kind"], f_["severity"], f_["message"]):
            problem(f"row for {f_['id']} differs: {row}")
        for key in ("citations", "references", "entities"):
            if d[key].split() != f_.get(key, []):
                problem(f"{f_['id']}: {key} {d[key]!r}")
        if ("score" in f_) != (d["score"] != "") or (d["score"] and abs(float(d["score"]) - f_["score"]) > 1e-4):
            problem(f"{f_['id']}: score {d['score']!r}")
        first = first_span(record, f_)
        if first is not None:
            text = record["text"]
            before = text[:first["start"]]
            line = before.count("\n") + 1
            col = len(before) - (before.rfind("\n") + 1) + 1
            if (d["text_line"], d["text_column"], d["span_text"]) != (str(line), str(col), first["text"]):
                problem(f"{f_['id']}: position {d['text_line']}:{d['text_column']} {d['span_text']!r}, expected {line}:{col}")
    print(f"ok: {len(body)} rows")


# ---------------------------------------------------------------- PNG pixels

def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA non-interlaced PNG; yields (r, g, b)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    width = height = bitdepth = colortype = interlace = None
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            width, height, bitdepth, colortype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        elif ctype == b"IDAT":
            idat += chunk
        elif ctype == b"IEND":
            break
    if bitdepth != 8 or colortype not in (2, 6) or interlace != 0:
        raise ValueError(f"unsupported PNG: depth {bitdepth}, colour type {colortype}, interlace {interlace}")
    bpp = 3 if colortype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    i = 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 0xFF
            elif ftype == 2:
                line[x] = (line[x] + b) & 0xFF
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 0xFF
        for x in range(0, stride, bpp):
            yield line[x], line[x + 1], line[x + 2]
        prev = line


def png_colors(path, specs):
    wanted = []
    for spec in specs:
        colour, _, tol = spec.partition("/")
        colour = colour.lstrip("#")
        wanted.append((spec, tuple(int(colour[k:k + 2], 16) for k in (0, 2, 4)), int(tol or 6)))
    counts = {spec: 0 for spec, _, _ in wanted}
    total = 0
    for px in png_pixels(path):
        total += 1
        for spec, rgb, tol in wanted:
            if all(abs(px[k] - rgb[k]) <= tol for k in range(3)):
                counts[spec] += 1
    counts["total"] = total
    print(json.dumps(counts))


# ---------------------------------------------------------------- HTML as a parser sees it

def html_tags(path):
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags, self.events, self.urls = {}, [], []
            self.in_title, self.title = False, ""

        def handle_starttag(self, tag, attrs):
            self.tags[tag] = self.tags.get(tag, 0) + 1
            for name, value in attrs:
                if name.startswith("on"):
                    self.events.append(f"<{tag} {name}>")
                if name in ("href", "src", "action", "formaction", "xlink:href") and value \
                        and value.strip().lower().startswith(("javascript:", "data:text/html", "vbscript:")):
                    self.urls.append(f"<{tag} {name}={value}>")
            self.in_title = tag == "title"

        def handle_endtag(self, tag):
            if tag == "title":
                self.in_title = False

        def handle_data(self, data):
            if self.in_title:
                self.title += data

    p = Collect()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    print(json.dumps({"title": p.title, "tags": p.tags, "eventAttributes": p.events, "javascriptUrls": p.urls}))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    what = sys.argv[1]
    if what == "html-tags":
        html_tags(sys.argv[2])
        return 0
    if what == "png-colors":
        png_colors(sys.argv[2], sys.argv[3:])
        return 0
    records = load_records(sys.argv[2])
    {"webanno": check_webanno, "brat": check_brat, "sqlite": check_sqlite, "csv": check_csv}[what](records, sys.argv[3])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
