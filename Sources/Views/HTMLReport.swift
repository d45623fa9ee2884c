// The HTML report: one self-contained page (inline CSS and one small inline script, nothing loaded
// from the network) with a corpus overview and, per document, its text with entities, citations,
// references and findings highlighted.
//
// Safety: every string taken from a record goes through `HTML.escape` (text and attribute values,
// always double-quoted); ids and class names built from record values go through `HTML.token`.
// The script is a constant that embeds no document data: it reads the escaped data attributes and
// builds its panel with textContent. A Content-Security-Policy allows only that script (by hash).
import AssayCore
import Foundation

public struct HTMLReport {
    /// An input that could not become a record (a line of errors.jsonl).
    public struct InputErrorLine: Sendable, Equatable, Decodable {
        public var source: String
        public var error: String
        public var message: String

        public init(source: String, error: String, message: String) {
            self.source = source
            self.error = error
            self.message = message
        }
    }

    public var records: [AnnotationRecord]
    public var errors: [InputErrorLine]
    public var title: String

    public init(records: [AnnotationRecord], errors: [InputErrorLine] = [], title: String = "assay report") {
        self.records = records
        self.errors = errors
        self.title = title
    }

    /// Reads errors.jsonl (missing file: no errors).
    public static func readErrors(_ path: String) -> [InputErrorLine] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(InputErrorLine.self, from: Data($0)) }
    }

    static let entityTypes = ["treaty", "law", "provision", "organization", "mechanism", "person", "place", "date"]
    static let severities = ["error", "warning", "info"]

    /// The whole page.
    public func render() -> String {
        var out = ""
        out.reserveCapacity(records.reduce(0) { $0 + $1.text.utf8.count * 3 } + 65536)
        let scriptHash = Data(SHA256.digest(Array(Self.script.utf8))).base64EncodedString()
        out += """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(scriptHash)'; img-src data:; base-uri 'none'; form-action 'none'">
        <meta name="generator" content="assay">
        <title>\(HTML.escape(title))</title>
        <style>\(Self.css)</style>
        </head>
        <body>

        """
        overview(&out)
        toolbar(&out)
        out += "<main>\n"
        for (n, r) in records.enumerated() {
            DocumentRenderer(record: r, index: n).render(&out)
        }
        if records.isEmpty {
            out += "<p class=\"empty\">No documents.</p>\n"
        }
        out += "</main>\n"
        out += """
        <aside id="info" class="info" hidden aria-live="polite"></aside>
        <footer class="foot">Made by assay from annotation records (schema assay.annotations/1). Offsets are Unicode code points into each document's text.</footer>
        <script>\(Self.script)</script>
        </body>
        </html>

        """
        return out
    }

    // MARK: overview

    private func overview(_ out: inout String) {
        var sev: [String: Int] = [:]
        var kinds: [String: (severity: String, count: Int, docs: Set<Int>)] = [:]
        var entityCount = 0, citationCount = 0, resolved = 0, orphan = 0, ambiguous = 0, referenceCount = 0, uncited = 0
        struct EntityTally { var name: String; var key: String?; var type: String; var mentions: Int; var docs: Set<Int> }
        var entities: [String: EntityTally] = [:]
        for (n, r) in records.enumerated() {
            for f in r.findings {
                sev[f.severity, default: 0] += 1
                var k = kinds[f.kind] ?? (f.severity, 0, [])
                k.count += 1
                k.docs.insert(n)
                kinds[f.kind] = k
            }
            entityCount += r.entities.count
            citationCount += r.citations.count
            for c in r.citations {
                switch c.references.count {
                case 0: orphan += 1
                case 1: resolved += 1
                default: ambiguous += 1
                }
            }
            referenceCount += r.references.count
            uncited += r.references.filter { $0.citedBy.isEmpty }.count
            for e in r.entities {
                let id = e.key.map { "k:" + $0 } ?? "t:\(e.type):\(e.text.lowercased())"
                var t = entities[id] ?? EntityTally(name: e.label ?? e.text, key: e.key, type: e.type, mentions: 0, docs: [])
                t.mentions += 1
                t.docs.insert(n)
                entities[id] = t
            }
        }
        let totalFindings = sev.values.reduce(0, +)
        out += "<header class=\"top\"><div class=\"wrap\">\n"
        out += "<h1>\(HTML.escape(title))</h1>\n"
        out += "<p class=\"sub\">\(grouped(records.count)) document\(records.count == 1 ? "" : "s")"
        if !errors.isEmpty { out += " · \(grouped(errors.count)) input\(errors.count == 1 ? "" : "s") could not be read" }
        out += " · \(grouped(totalFindings)) finding\(totalFindings == 1 ? "" : "s")</p>\n"
        out += "<div class=\"cards\">\n"
        card(&out, "Documents", grouped(records.count), records.count == 1 ? "in this report" : "in this report")
        card(&out, "Findings", grouped(totalFindings),
             "<span class=\"sev sev-error\">\(grouped(sev["error"] ?? 0)) error\((sev["error"] ?? 0) == 1 ? "" : "s")</span> <span class=\"sev sev-warning\">\(grouped(sev["warning"] ?? 0)) warning\((sev["warning"] ?? 0) == 1 ? "" : "s")</span> <span class=\"sev sev-info\">\(grouped(sev["info"] ?? 0)) info</span>")
        card(&out, "Entities", grouped(entityCount), "\(grouped(entities.count)) distinct")
        card(&out, "Citations", grouped(citationCount), "\(grouped(resolved)) resolved · \(grouped(orphan)) orphaned · \(grouped(ambiguous)) ambiguous")
        card(&out, "References", grouped(referenceCount), "\(grouped(uncited)) never cited")
        out += "</div></div></header>\n"

        out += "<section class=\"overview wrap\">\n<div class=\"ov-grid\">\n"
        // Findings by kind.
        out += "<div class=\"panel\"><h2>Findings by kind</h2>\n"
        if kinds.isEmpty {
            out += "<p class=\"muted\">No findings.</p>\n"
        } else {
            let rank = ["error": 0, "warning": 1, "info": 2]
            let sorted = kinds.sorted {
                let a = rank[$0.value.severity] ?? 3, b = rank[$1.value.severity] ?? 3
                if a != b { return a < b }
                if $0.value.count != $1.value.count { return $0.value.count > $1.value.count }
                return $0.key < $1.key
            }
            let most = sorted.map(\.value.count).max() ?? 1
            out += "<table class=\"tbl\"><thead><tr><th>Kind</th><th>Severity</th><th class=\"num\">Findings</th><th class=\"num\">Documents</th><th class=\"barcol\"></th></tr></thead><tbody>\n"
            for (kind, v) in sorted {
                let s = HTML.token(v.severity)
                out += "<tr><td><code>\(HTML.escape(kind))</code></td><td><span class=\"sev sev-\(s)\">\(HTML.escape(v.severity))</span></td>"
                out += "<td class=\"num\">\(grouped(v.count))</td><td class=\"num\">\(grouped(v.docs.count))</td>"
                out += "<td class=\"barcol\"><span class=\"bar bar-\(s)\" style=\"width:\(max(4, v.count * 100 / max(most, 1)))%\"></span></td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        out += "</div>\n"
        // Most-cited entities.
        out += "<div class=\"panel\"><h2>Most-mentioned entities</h2>\n"
        if entities.isEmpty {
            out += "<p class=\"muted\">No entities.</p>\n"
        } else {
            let top = entities.values.sorted {
                if $0.mentions != $1.mentions { return $0.mentions > $1.mentions }
                if $0.docs.count != $1.docs.count { return $0.docs.count > $1.docs.count }
                return $0.name < $1.name
            }.prefix(15)
            out += "<table class=\"tbl\"><thead><tr><th>Entity</th><th>Type</th><th class=\"num\">Mentions</th><th class=\"num\">Documents</th></tr></thead><tbody>\n"
            for e in top {
                out += "<tr><td>\(HTML.escape(clip(e.name, 90)))"
                if let k = e.key { out += " <code class=\"key\">\(HTML.escape(k))</code>" }
                out += "</td><td class=\"nowrap\"><span class=\"swatch t-\(HTML.token(e.type))\"></span>\(HTML.escape(e.type))</td><td class=\"num\">\(grouped(e.mentions))</td><td class=\"num\">\(grouped(e.docs.count))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        out += "</div>\n</div>\n"

        // Documents.
        out += "<div class=\"panel\"><h2>Documents</h2>\n"
        out += "<table class=\"tbl docs\"><thead><tr><th>#</th><th>Document</th><th class=\"num\">Errors</th><th class=\"num\">Warnings</th><th class=\"num\">Info</th><th class=\"num\">Entities</th><th class=\"num\">Citations</th><th class=\"num\">References</th></tr></thead><tbody>\n"
        for (n, r) in records.enumerated() {
            let c = Dictionary(grouping: r.findings, by: \.severity).mapValues(\.count)
            out += "<tr><td class=\"num\">\(n + 1)</td><td><a href=\"#d\(n)\">\(HTML.escape(clip(r.document.title ?? r.document.source, 110)))</a><div class=\"muted small\">\(HTML.escape(r.document.source))</div></td>"
            for s in Self.severities {
                let v = c[s] ?? 0
                out += "<td class=\"num\">" + (v > 0 ? "<span class=\"sev sev-\(s)\">\(grouped(v))</span>" : "<span class=\"muted\">0</span>") + "</td>"
            }
            out += "<td class=\"num\">\(grouped(r.entities.count))</td><td class=\"num\">\(grouped(r.citations.count))</td><td class=\"num\">\(grouped(r.references.count))</td></tr>\n"
        }
        out += "</tbody></table></div>\n"

        if !errors.isEmpty {
            out += "<div class=\"panel\"><h2>Inputs that could not be read</h2><ul class=\"errors\">\n"
            for e in errors {
                out += "<li><code>\(HTML.escape(e.source))</code> <span class=\"sev sev-error\">\(HTML.escape(e.error))</span> \(HTML.escape(e.message))</li>\n"
            }
            out += "</ul></div>\n"
        }
        out += "</section>\n"
    }

    private func card(_ out: inout String, _ label: String, _ value: String, _ detailHTML: String) {
        out += "<div class=\"card\"><div class=\"card-label\">\(label)</div><div class=\"card-value\">\(value)</div><div class=\"card-detail\">\(detailHTML)</div></div>\n"
    }

    // MARK: toolbar: legend and filters

    private func toolbar(_ out: inout String) {
        var kinds = Set<String>()
        var types = Set<String>()
        for r in records {
            for f in r.findings { kinds.insert(f.kind) }
            for e in r.entities { types.insert(e.type) }
        }
        let typeList = Self.entityTypes + types.subtracting(Self.entityTypes).sorted()
        out += "<nav class=\"toolbar\" aria-label=\"Legend and filters\"><div class=\"wrap\">\n"
        out += "<div class=\"legend\"><span class=\"lg-title\">Highlights</span>\n"
        for t in typeList {
            let tok = HTML.token(t)
            out += "<label class=\"lg\"><input type=\"checkbox\" checked data-layer=\"t-\(tok)\"><mark class=\"hl ent t-\(tok)\">\(HTML.escape(t))</mark></label>\n"
        }
        out += "<label class=\"lg\"><input type=\"checkbox\" checked data-layer=\"cit\"><mark class=\"hl cit\">citation</mark></label>\n"
        out += "<span class=\"lg\"><mark class=\"hl cit cit-orphan\">orphaned citation</mark></span>\n"
        out += "<label class=\"lg\"><input type=\"checkbox\" checked data-layer=\"ref\"><mark class=\"hl ref\">reference entry</mark></label>\n"
        out += "<span class=\"lg\"><mark class=\"hl ref ref-uncited\">uncited entry</mark></span>\n"
        out += "</div>\n"
        out += "<div class=\"filters\" id=\"filters\" hidden><span class=\"lg-title\">Findings</span>\n"
        for s in Self.severities {
            out += "<label class=\"lg\"><input type=\"checkbox\" checked data-sev=\"\(s)\"><span class=\"fx-\(s) lg-fx\">\(s)</span></label>\n"
        }
        if !kinds.isEmpty {
            out += "<details class=\"kinds\"><summary>Kinds (\(kinds.count))</summary><div class=\"kind-list\">\n"
            for k in kinds.sorted() {
                out += "<label><input type=\"checkbox\" checked data-kind=\"\(HTML.escape(k))\"> <code>\(HTML.escape(k))</code></label>\n"
            }
            out += "</div></details>\n"
        }
        out += "</div>\n</div></nav>\n"
    }

    // MARK: style and script

    public static let css = """
    :root{--ink:#1d2430;--muted:#667085;--line:#e4e7ec;--bg:#f7f6f2;--card:#fff;--accent:#2f5bd3;\
    --treaty:#cfe2ff;--law:#ddd6fe;--provision:#f3d8fb;--organization:#c8f0d6;--mechanism:#c4ede8;\
    --person:#ffd8e6;--place:#ffe3c2;--date:#e3e6ea;--other:#ececec;--cit:#fff0a0;--cit-line:#b7791f;\
    --ref:#e9eef5;--err:#d92d20;--warn:#dc6803;--info:#1570ef}
    *{box-sizing:border-box}
    [hidden]{display:none!important}
    html{scroll-padding-top:96px}
    body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
    .wrap{max-width:1320px;margin:0 auto;padding:0 28px}
    h1,h2,h3{line-height:1.25;margin:0 0 .5em}
    h1{font-size:28px;letter-spacing:-.01em}
    h2{font-size:19px}
    h3{font-size:15px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin-top:1.6em}
    a{color:var(--accent);text-decoration:none}
    a:hover{text-decoration:underline}
    code{font:12.5px/1.4 ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace}
    .muted{color:var(--muted)}
    .small{font-size:12.5px}
    header.top{background:#fff;border-bottom:1px solid var(--line);padding:28px 0 22px}
    .sub{color:var(--muted);margin:0 0 18px}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:14px}
    .card{background:var(--bg);border:1px solid var(--line);border-radius:12px;padding:14px 16px}
    .card-label{font-size:12px;text-transform:uppercase;letter-spacing:.07em;color:var(--muted)}
    .card-value{font-size:30px;font-weight:650;letter-spacing:-.02em;margin:2px 0}
    .card-detail{font-size:12.5px;color:var(--muted)}
    .overview{padding-top:22px}
    .ov-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:18px}
    .panel{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin-bottom:18px;overflow-x:auto}
    .tbl{border-collapse:collapse;width:100%;font-size:14px}
    .tbl th{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600;text-align:left;border-bottom:1px solid var(--line);padding:6px 8px}
    .tbl td{border-bottom:1px solid #f0f1f3;padding:6px 8px;vertical-align:top}
    .tbl .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .tbl code,.tbl .nowrap{white-space:nowrap}
    .barcol{width:28%}
    .bar{display:inline-block;height:8px;border-radius:4px;vertical-align:middle}
    .bar-error{background:var(--err)}.bar-warning{background:var(--warn)}.bar-info{background:var(--info)}
    .sev{display:inline-block;font-size:11.5px;font-weight:650;border-radius:999px;padding:1px 8px;white-space:nowrap}
    .sev-error{background:#fee4e2;color:#b42318}.sev-warning{background:#feefc7;color:#93370d}.sev-info{background:#dbeafe;color:#1849a9}
    .key{background:#f2f4f7;border-radius:4px;padding:0 4px;color:#475467}
    .swatch{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:6px;vertical-align:baseline}
    .toolbar{position:sticky;top:0;z-index:5;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line);box-shadow:0 1px 6px rgba(16,24,40,.05);font-size:13px}
    .toolbar .wrap{display:flex;flex-wrap:wrap;gap:6px 22px;padding-top:8px;padding-bottom:8px;align-items:center}
    .legend,.filters{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
    .lg-title{font-weight:650;color:var(--muted);text-transform:uppercase;font-size:11.5px;letter-spacing:.07em;margin-right:2px}
    .lg{display:inline-flex;align-items:center;gap:4px;cursor:pointer;white-space:nowrap}
    .lg input{margin:0}
    .lg-fx{padding:0 2px}
    .kinds{position:relative}
    .kinds summary{cursor:pointer;color:var(--accent)}
    .kind-list{position:absolute;background:#fff;border:1px solid var(--line);border-radius:10px;padding:8px 12px;box-shadow:0 8px 24px rgba(16,24,40,.12);display:grid;gap:3px;z-index:6;min-width:240px}
    main{max-width:1320px;margin:0 auto;padding:8px 28px 64px}
    .doc{background:var(--card);border:1px solid var(--line);border-radius:14px;margin:22px 0;padding:24px 28px}
    .doc-head h2{font-size:21px;margin-bottom:4px}
    .meta{color:var(--muted);font-size:13px;margin:0 0 8px;overflow-wrap:anywhere}
    .pills{display:flex;flex-wrap:wrap;gap:6px;font-size:13px;color:var(--muted)}
    .doc-grid{display:grid;grid-template-columns:minmax(0,74ch) minmax(280px,1fr);gap:28px;margin-top:14px;align-items:start}
    @media (max-width:1000px){.doc-grid{grid-template-columns:minmax(0,1fr)}}
    .text{font-family:"Iowan Old Style","Palatino Linotype",Palatino,Georgia,"Noto Serif","DejaVu Serif",serif;font-size:16.5px;line-height:1.72;white-space:pre-wrap;overflow-wrap:anywhere;max-width:74ch;color:#1a1f29}
    mark{background:none;color:inherit}
    mark.hl{border-radius:3px;padding:1px 0;cursor:pointer;-webkit-box-decoration-break:clone;box-decoration-break:clone}
    .t-treaty{background:var(--treaty)}.t-law{background:var(--law)}.t-provision{background:var(--provision)}\
    .t-organization{background:var(--organization)}.t-mechanism{background:var(--mechanism)}.t-person{background:var(--person)}\
    .t-place{background:var(--place)}.t-date{background:var(--date)}
    .ent{background-color:var(--other)}
    .ent.t-treaty{background:var(--treaty)}.ent.t-law{background:var(--law)}.ent.t-provision{background:var(--provision)}\
    .ent.t-organization{background:var(--organization)}.ent.t-mechanism{background:var(--mechanism)}.ent.t-person{background:var(--person)}\
    .ent.t-place{background:var(--place)}.ent.t-date{background:var(--date)}
    .cit{background:var(--cit);box-shadow:inset 0 -2px 0 var(--cit-line)}
    .cit-orphan{background:#ffe0db;box-shadow:inset 0 -2px 0 var(--err)}
    .cit-ambiguous{box-shadow:inset 0 -2px 0 var(--warn)}
    .ref{background:var(--ref)}
    .ref-uncited{outline:1px dashed #98a2b3;outline-offset:1px}
    .fx-error{text-decoration:underline wavy var(--err);text-decoration-skip-ink:none;text-underline-offset:4px}
    .fx-warning{text-decoration:underline wavy var(--warn);text-decoration-skip-ink:none;text-underline-offset:4px}
    .fx-info{text-decoration:underline dotted var(--info);text-decoration-thickness:2px;text-underline-offset:4px}
    body.hide-cit .cit{background:none;box-shadow:none}
    body.hide-ref .ref{background:none;outline:none}
    body.hide-t-treaty .t-treaty,body.hide-t-law .t-law,body.hide-t-provision .t-provision,\
    body.hide-t-organization .t-organization,body.hide-t-mechanism .t-mechanism,body.hide-t-person .t-person,\
    body.hide-t-place .t-place,body.hide-t-date .t-date{background:none}
    .legend mark.hl{padding:1px 5px;cursor:pointer}
    :target{outline:3px solid var(--accent);outline-offset:2px;border-radius:4px}
    mark.hl.active{outline:2px solid var(--ink);outline-offset:1px}
    .side{position:sticky;top:64px;max-height:calc(100vh - 84px);overflow:auto;font-size:13.5px}
    .side h3:first-child{margin-top:0}
    ol.findings{list-style:none;margin:0;padding:0}
    li.finding{border:1px solid var(--line);border-left-width:4px;border-radius:8px;margin:0 0 8px;background:#fff}
    li.finding.s-error{border-left-color:var(--err)}li.finding.s-warning{border-left-color:var(--warn)}li.finding.s-info{border-left-color:var(--info)}
    li.finding a{display:block;color:inherit;padding:8px 10px}
    li.finding a:hover{background:#f9fafb;text-decoration:none}
    .f-head{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:3px}
    .f-kind{color:var(--muted)}
    .f-quote{display:block;color:var(--muted);font-style:italic;margin-top:3px;overflow-wrap:anywhere}
    ol.refs{margin:0;padding:0;list-style:none;font-size:14px}
    ol.refs li{padding:7px 10px;border-bottom:1px solid #f0f1f3;display:grid;grid-template-columns:3.2em 1fr;gap:8px}
    ol.refs li.uncited{background:#fafafa}
    .rid{color:var(--muted);font:12px/1.9 ui-monospace,"DejaVu Sans Mono",monospace}
    .badges{display:flex;flex-wrap:wrap;gap:5px;margin-top:4px;font-size:12px}
    .badge{border-radius:999px;padding:0 8px;background:#f2f4f7;color:#475467}
    .badge-uncited{background:#f2f4f7;color:#344054;border:1px dashed #98a2b3}
    .badge-duplicate{background:#feefc7;color:#93370d}
    .badge-finding{background:#fee4e2;color:#b42318}
    .info{position:fixed;right:18px;bottom:18px;width:min(420px,calc(100vw - 36px));max-height:60vh;overflow:auto;background:#fff;border:1px solid var(--line);border-radius:12px;box-shadow:0 12px 32px rgba(16,24,40,.18);padding:14px 16px;z-index:10;font-size:13.5px}
    .info section+section{border-top:1px solid var(--line);margin-top:10px;padding-top:10px}
    .info h4{margin:0 0 4px;font-size:14px}
    .info p{margin:2px 0;overflow-wrap:anywhere}
    .info a.go{display:block;margin-top:3px}
    .info .close{float:right;border:0;background:none;font-size:18px;line-height:1;cursor:pointer;color:var(--muted)}
    .foot{max-width:1320px;margin:0 auto;padding:0 28px 40px;color:var(--muted);font-size:12.5px}
    .empty{color:var(--muted)}
    ul.errors{margin:0;padding-left:18px}
    @media print{.toolbar,.info{display:none}.side{position:static;max-height:none}.doc{break-inside:auto}}
    """

    /// Filters (severity, kind, highlight layers) and the click panel. Embeds no document data.
    public static let script = """
    (function(){
    'use strict';
    function all(s,r){return Array.prototype.slice.call((r||document).querySelectorAll(s));}
    var rank={error:3,warning:2,info:1};
    var filters=document.getElementById('filters');if(filters){filters.hidden=false;}
    function apply(){
      var sev={},kind={};
      all('input[data-sev]').forEach(function(c){sev[c.getAttribute('data-sev')]=c.checked;});
      all('input[data-kind]').forEach(function(c){kind[c.getAttribute('data-kind')]=c.checked;});
      all('li.finding').forEach(function(li){
        li.hidden=!(sev[li.getAttribute('data-sev')]!==false&&kind[li.getAttribute('data-kind')]!==false);
      });
      all('[data-f]').forEach(function(m){
        var best='',r=0;
        m.getAttribute('data-f').split(' ').forEach(function(id){
          var li=document.getElementById(id);
          if(li&&!li.hidden&&(rank[li.getAttribute('data-sev')]||0)>r){r=rank[li.getAttribute('data-sev')]||0;best=li.getAttribute('data-sev');}
        });
        m.classList.remove('fx-error','fx-warning','fx-info');
        if(best){m.classList.add('fx-'+best);}
      });
      all('input[data-layer]').forEach(function(c){document.body.classList.toggle('hide-'+c.getAttribute('data-layer'),!c.checked);});
      all('.doc').forEach(function(d){
        var n=all('li.finding',d).filter(function(li){return !li.hidden;}).length;
        var c=d.querySelector('.shown');if(c){c.textContent=String(n);}
      });
    }
    document.addEventListener('change',function(e){
      if(e.target&&e.target.closest&&e.target.closest('.toolbar')){apply();}
    });
    var panel=document.getElementById('info');
    var active=null;
    function el(tag,cls,text){var x=document.createElement(tag);if(cls){x.className=cls;}if(text!==undefined){x.textContent=text;}return x;}
    function show(m){
      if(active){active.classList.remove('active');}
      active=m;m.classList.add('active');
      while(panel.firstChild){panel.removeChild(panel.firstChild);}
      var close=el('button','close','\\u00d7');close.type='button';close.setAttribute('aria-label','Close');
      close.addEventListener('click',function(){panel.hidden=true;if(active){active.classList.remove('active');}});
      panel.appendChild(close);
      for(var x=m;x;x=x.parentElement?x.parentElement.closest('mark.hl'):null){
        var sec=el('section');
        sec.appendChild(el('h4','',x.getAttribute('data-h')||''));
        (x.getAttribute('data-d')||'').split('\\n').forEach(function(line){if(line){sec.appendChild(el('p','',line));}});
        (x.getAttribute('data-go')||'').split(' ').forEach(function(id){
          if(!id){return;}
          var t=document.getElementById(id);if(!t){return;}
          var a=el('a','go','\\u2192 '+(t.getAttribute('data-label')||id));a.href='#'+id;sec.appendChild(a);
        });
        panel.appendChild(sec);
      }
      panel.hidden=false;
    }
    document.addEventListener('click',function(e){
      var t=e.target;if(!t||!t.closest){return;}
      if(t.closest('.legend')||t.closest('.info')){return;}
      var m=t.closest('mark.hl');
      if(m&&m.getAttribute('data-h')){show(m);}
    });
    document.addEventListener('keydown',function(e){if(e.key==='Escape'){panel.hidden=true;if(active){active.classList.remove('active');}}});
    apply();
    })();
    """
}

/// Renders one document: header, highlighted text, reference list, findings list.
struct DocumentRenderer {
    let record: AnnotationRecord
    let index: Int
    let prefix: String
    let text: ScalarText
    let citationByID: [String: AnnotationRecord.CitationRecord]
    let referenceByID: [String: AnnotationRecord.ReferenceRecord]
    let entityByID: [String: AnnotationRecord.EntityRecord]
    /// Finding ids (element ids) naming each span id.
    let findingsOf: [String: [AnnotationRecord.FindingRecord]]

    init(record: AnnotationRecord, index: Int) {
        self.record = record
        self.index = index
        prefix = "d\(index)"
        text = ScalarText(record.text)
        citationByID = Dictionary(record.citations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        referenceByID = Dictionary(record.references.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        entityByID = Dictionary(record.entities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var f: [String: [AnnotationRecord.FindingRecord]] = [:]
        for finding in record.findings {
            for id in finding.citations + finding.references + finding.entities { f[id, default: []].append(finding) }
        }
        findingsOf = f
    }

    func elementID(_ id: String) -> String { "\(prefix)-\(HTML.token(id))" }
    func listID(_ id: String) -> String { "\(prefix)-ref-\(HTML.token(id))" }

    func render(_ out: inout String) {
        let r = record
        out += "<article class=\"doc\" id=\"\(prefix)\">\n<header class=\"doc-head\">\n"
        out += "<h2>\(HTML.escape(r.document.title ?? r.document.source))</h2>\n"
        var meta = [r.document.source, r.document.mediaType]
        if let e = r.document.encoding { meta.append(e) }
        meta.append("\(grouped(r.document.textLength)) characters")
        meta.append("id \(r.document.id)")
        out += "<p class=\"meta\">\(meta.map(HTML.escape).joined(separator: " · "))</p>\n"
        let sev = Dictionary(grouping: r.findings, by: \.severity).mapValues(\.count)
        out += "<div class=\"pills\">"
        for s in HTMLReport.severities where (sev[s] ?? 0) > 0 {
            out += "<span class=\"sev sev-\(s)\">\(grouped(sev[s]!)) \(s)\(s != "info" && sev[s]! != 1 ? "s" : "")</span>"
        }
        out += "<span>\(grouped(r.entities.count)) entities</span><span>· \(grouped(r.citations.count)) citations</span><span>· \(grouped(r.references.count)) references</span>"
        out += "</div>\n</header>\n<div class=\"doc-grid\">\n<div class=\"main-col\">\n"
        out += "<div class=\"text\">"
        renderText(&out)
        out += "</div>\n"
        renderReferences(&out)
        out += "</div>\n"
        renderFindings(&out)
        out += "</div>\n</article>\n"
    }

    // MARK: the text with nested highlights

    struct Mark {
        var start: Int
        var end: Int
        var layer: Int  // 0 reference (outermost), 1 citation, 2 entity
        var id: String
        var attributes: String  // class, data-*, title: already escaped
    }

    func marks() -> [Mark] {
        var out: [Mark] = []
        for ref in record.references { out.append(Mark(start: ref.start, end: ref.end, layer: 0, id: ref.id, attributes: referenceAttributes(ref))) }
        for c in record.citations { out.append(Mark(start: c.start, end: c.end, layer: 1, id: c.id, attributes: citationAttributes(c))) }
        for e in record.entities { out.append(Mark(start: e.start, end: e.end, layer: 2, id: e.id, attributes: entityAttributes(e))) }
        for i in out.indices {
            let (s, e) = text.clamp(out[i].start, out[i].end)
            out[i].start = s
            out[i].end = e
        }
        return out.filter { $0.end > $0.start }.sorted {
            if $0.start != $1.start { return $0.start < $1.start }
            if $0.end != $1.end { return $0.end > $1.end }
            return $0.layer < $1.layer
        }
    }

    /// Writes the text with each span as a `<mark>`. Spans nest; a span that crosses the end of
    /// another is closed and reopened there (its continuation has no id), so the HTML stays well formed.
    func renderText(_ out: inout String) {
        let marks = marks()
        var boundaries = Set<Int>()
        for m in marks {
            boundaries.insert(m.start)
            boundaries.insert(m.end)
        }
        var stack: [Int] = []  // indices into marks, innermost last
        var next = 0
        var pos = 0
        for b in boundaries.sorted() {
            if b > pos {
                HTML.append(text.scalars[pos..<b], to: &out.unicodeScalars)
                pos = b
            }
            if stack.contains(where: { marks[$0].end <= b }) {
                var reopen: [Int] = []
                while stack.contains(where: { marks[$0].end <= b }) {
                    let top = stack.removeLast()
                    out += "</mark>"
                    if marks[top].end > b { reopen.insert(top, at: 0) }
                }
                for i in reopen {
                    out += "<mark \(marks[i].attributes)>"
                    stack.append(i)
                }
            }
            while next < marks.count && marks[next].start == b {
                let m = marks[next]
                out += "<mark id=\"\(elementID(m.id))\" \(m.attributes)>"
                stack.append(next)
                next += 1
            }
        }
        if pos < text.count { HTML.append(text.scalars[pos...], to: &out.unicodeScalars) }
        for _ in stack { out += "</mark>" }
    }

    private func attr(_ name: String, _ value: String) -> String { "\(name)=\"\(HTML.escape(value))\"" }

    private func findingLines(_ id: String) -> (lines: [String], ids: [String], severity: String?) {
        let fs = findingsOf[id] ?? []
        let rank = ["error": 3, "warning": 2, "info": 1]
        let top = fs.max { (rank[$0.severity] ?? 0) < (rank[$1.severity] ?? 0) }?.severity
        return (fs.map { "\($0.severity) · \($0.kind): \($0.message)" }, fs.map { elementID($0.id) }, top)
    }

    private func common(_ heading: String, _ details: [String], classes: [String], id: String, go: [String]) -> String {
        let f = findingLines(id)
        var cls = classes
        if let s = f.severity { cls.append("fx-\(HTML.token(s))") }
        let lines = details + f.lines
        var s = attr("class", cls.joined(separator: " "))
        s += " " + attr("title", ([heading] + lines).joined(separator: "\n"))
        s += " " + attr("data-h", heading)
        s += " " + attr("data-d", lines.joined(separator: "\n"))
        let links = go + f.ids
        if !links.isEmpty { s += " " + attr("data-go", links.joined(separator: " ")) }
        if !f.ids.isEmpty { s += " " + attr("data-f", f.ids.joined(separator: " ")) }
        return s
    }

    func entityAttributes(_ e: AnnotationRecord.EntityRecord) -> String {
        var details: [String] = []
        if let l = e.label { details.append(l) }
        if let k = e.key { details.append("key: \(k)") }
        for k in e.attributes.keys.sorted() { details.append("\(k): \(e.attributes[k]!)") }
        return common("\(e.type) \(e.id): \(clip(e.text, 80))", details,
                      classes: ["hl", "ent", "t-\(HTML.token(e.type))"], id: e.id, go: [])
    }

    func citationAttributes(_ c: AnnotationRecord.CitationRecord) -> String {
        var details: [String] = []
        var who = c.authors.joined(separator: ", ")
        if c.etAl == true { who += " et al." }
        details.append("\(c.style) citation · \(who.isEmpty ? "no author" : who) · \(c.year)\(c.yearSuffix ?? "")\(c.locator.map { " · \($0)" } ?? "")")
        var classes = ["hl", "cit"]
        switch c.references.count {
        case 0:
            details.append("Resolves to no entry of the reference list (orphaned).")
            classes.append("cit-orphan")
        case 1:
            let r = referenceByID[c.references[0]]
            details.append("Resolves to \(c.references[0]): \(r.map { clip($0.text, 220) } ?? "(missing)")")
        default:
            details.append("Ambiguous: matches \(c.references.joined(separator: ", ")).")
            classes.append("cit-ambiguous")
        }
        if let d = c.defects, !d.isEmpty { details.append("Mis-punctuated: \(d.joined(separator: "; "))") }
        return common("citation \(c.id): \(clip(c.text, 80))", details, classes: classes, id: c.id,
                      go: c.references.filter { referenceByID[$0] != nil }.map(listID))
    }

    func referenceAttributes(_ r: AnnotationRecord.ReferenceRecord) -> String {
        var details: [String] = [referenceSummary(r)]
        var classes = ["hl", "ref"]
        if r.citedBy.isEmpty {
            details.append("Not cited in the text.")
            classes.append("ref-uncited")
        } else {
            details.append("Cited by \(r.citedBy.joined(separator: ", ")).")
        }
        return common("reference \(r.id)", details, classes: classes, id: r.id, go: [listID(r.id)])
    }

    func referenceSummary(_ r: AnnotationRecord.ReferenceRecord) -> String {
        var parts: [String] = []
        let names = r.authors.map(\.display).joined(separator: "; ")
        if !names.isEmpty { parts.append(names + (r.editors == true ? " (eds.)" : "")) }
        if let y = r.year { parts.append(y + (r.yearSuffix ?? "")) }
        if let t = r.title { parts.append(t) }
        if let c = r.container { parts.append(c) }
        var tail: [String] = []
        if let v = r.volume { tail.append(v + (r.issue.map { "(\($0))" } ?? "")) }
        if let p = r.pages { tail.append(p) }
        if let p = r.publisher { tail.append(p) }
        if !tail.isEmpty { parts.append(tail.joined(separator: ", ")) }
        return parts.isEmpty ? clip(r.text, 200) : clip(parts.joined(separator: " · "), 300)
    }

    // MARK: reference list

    func renderReferences(_ out: inout String) {
        guard !record.references.isEmpty else { return }
        var duplicateOf: [String: [String]] = [:]
        for f in record.findings where f.kind == "duplicate-reference" {
            for id in f.references { duplicateOf[id, default: []].append(contentsOf: f.references.filter { $0 != id }) }
        }
        let uncited = record.references.filter { $0.citedBy.isEmpty }.count
        out += "<h3>References <span class=\"muted\">(\(grouped(record.references.count)); \(grouped(uncited)) uncited; \(grouped(duplicateOf.count)) in duplicates)</span></h3>\n"
        out += "<ol class=\"refs\">\n"
        for r in record.references {
            let label = "reference \(r.id): \(clip(r.text, 90))"
            out += "<li id=\"\(listID(r.id))\" class=\"\(r.citedBy.isEmpty ? "uncited" : "cited")\" \(attr("data-label", label))>"
            out += "<span class=\"rid\"><a href=\"#\(elementID(r.id))\">\(HTML.escape(r.id))</a></span><div>"
            out += HTML.escape(r.text)
            out += "<div class=\"badges\">"
            if r.citedBy.isEmpty {
                out += "<span class=\"badge badge-uncited\">uncited</span>"
            } else {
                out += "<span class=\"badge\">cited by "
                out += r.citedBy.map { c in
                    citationByID[c] != nil ? "<a href=\"#\(elementID(c))\">\(HTML.escape(c))</a>" : HTML.escape(c)
                }.joined(separator: ", ")
                out += "</span>"
            }
            if let dups = duplicateOf[r.id] {
                let others = Array(Set(dups)).sorted()
                out += "<span class=\"badge badge-duplicate\">duplicate of "
                out += others.map { "<a href=\"#\(listID($0))\">\(HTML.escape($0))</a>" }.joined(separator: ", ")
                out += "</span>"
            }
            for f in findingsOf[r.id] ?? [] where f.kind != "duplicate-reference" && f.kind != "uncited-reference" {
                out += "<a class=\"badge badge-finding\" href=\"#\(elementID(f.id))\">\(HTML.escape(f.kind))</a>"
            }
            out += "</div></div></li>\n"
        }
        out += "</ol>\n"
    }

    // MARK: findings list

    func renderFindings(_ out: inout String) {
        out += "<aside class=\"side\">\n<h3>Findings <span class=\"muted\">(<span class=\"shown\">\(record.findings.count)</span>)</span></h3>\n"
        if record.findings.isEmpty {
            out += "<p class=\"muted\">No findings in this document.</p>\n"
        } else {
            let index = record.spansByID
            out += "<ol class=\"findings\">\n"
            for f in record.findings {
                let s = HTML.token(f.severity)
                let first = record.firstSpan(of: f, index: index)
                out += "<li class=\"finding s-\(s)\" id=\"\(elementID(f.id))\" \(attr("data-sev", f.severity)) \(attr("data-kind", f.kind)) \(attr("data-label", "\(f.severity) \(f.kind): \(clip(f.message, 100))"))>"
                out += first.map { "<a href=\"#\(elementID($0.id))\">" } ?? "<a>"
                out += "<span class=\"f-head\"><span class=\"sev sev-\(s)\">\(HTML.escape(f.severity))</span><code class=\"f-kind\">\(HTML.escape(f.kind))</code>"
                if let sc = f.score { out += "<span class=\"muted small\">score \(HTML.escape(JSONWriter.format(sc)))</span>" }
                out += "</span>"
                out += "<span class=\"f-msg\">\(HTML.escape(f.message))</span>"
                if let first { out += "<span class=\"f-quote\">\(HTML.escape(first.id)): “\(HTML.escape(clip(first.text, 120)))”</span>" }
                out += "</a></li>\n"
            }
            out += "</ol>\n"
        }
        out += "</aside>\n"
    }
}
