import AssayCore
import Foundation
import Pipeline
import Testing
import TestScratch
import Views

/// The records of the seed articles, through the real pipeline.
func seedRecords() throws -> [AnnotationRecord] {
    let pipeline = try defaultPipeline()
    let batch = BatchRun(pipeline: pipeline, jobs: 2)
    return try InputCollector.collect([seedsPath]).map { item in
        guard case .record(let line, _, _) = batch.process(item) else { throw ViewError("\(item.source) failed") }
        return try AnnotationRecord.decode(line)
    }
}

/// The text inside `<div class="text">…</div>` with the marks removed and the escapes undone.
func plainText(ofTextDiv html: Substring) -> String {
    var s = String(html)
    s = s.replacingOccurrences(of: #"<mark[^>]*>"#, with: "", options: .regularExpression)
    s = s.replacingOccurrences(of: "</mark>", with: "")
    for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
        s = s.replacingOccurrences(of: entity, with: char)
    }
    return s
}

func textDivs(_ html: String) -> [Substring] {
    var out: [Substring] = []
    var rest = html[...]
    while let start = rest.range(of: "<div class=\"text\">") {
        let end = rest.range(of: "</div>", range: start.upperBound..<rest.endIndex)!
        out.append(rest[start.upperBound..<end.lowerBound])
        rest = rest[end.upperBound...]
    }
    return out
}

@Suite(.scratchFolders) struct HTMLReportTests {
    @Test func everySpanIsHighlightedAndTheTextIsIntact() throws {
        let built = try HandBuilt.make(in: try scratch("report-spans"))
        let record = try AnnotationRecord(built.document)
        let html = HTMLReport(records: [record]).render()
        for id in record.entities.map(\.id) + record.citations.map(\.id) + record.references.map(\.id) {
            #expect(html.contains("<mark id=\"d0-\(id)\" "), "\(id)")
        }
        for f in record.findings {
            #expect(html.contains("<li class=\"finding s-\(f.severity)\" id=\"d0-\(f.id)\""), "\(f.id)")
            let first = try #require(record.firstSpan(of: f))
            #expect(html.contains("id=\"d0-\(f.id)\"") && html.contains("<a href=\"#d0-\(first.id)\">"))
        }
        // Marks are balanced and the text reads back exactly (nesting and crossing spans included).
        #expect(html.components(separatedBy: "<mark ").count == html.components(separatedBy: "</mark>").count)
        let divs = textDivs(html)
        #expect(divs.count == 1)
        #expect(plainText(ofTextDiv: divs[0]) == record.text)
        // Citations show the entry they resolve to; the reference list marks uncited and duplicates.
        #expect(html.contains("Resolves to r1: Kai, S., Wang, B. (2020)"))
        #expect(html.contains("Ambiguous: matches r2, r3."))
        #expect(html.contains("Resolves to no entry of the reference list (orphaned)."))
        #expect(html.contains("<span class=\"badge badge-uncited\">uncited</span>"))
        #expect(html.components(separatedBy: "class=\"badge badge-duplicate\"").count - 1 == 2)
        #expect(html.contains("class=\"hl cit cit-orphan fx-error\""))
        // Overview: counts per kind and the most-mentioned entity (CEDAW, three mentions).
        #expect(html.contains("<td><code>orphan-citation</code></td>"))
        #expect(html.range(of: #"Convention on the Elimination of All Forms of Discrimination against Women <code class="key">cedaw</code></td><td class="nowrap"><span class="swatch t-treaty"></span>treaty</td><td class="num">3</td>"#) != nil)
        // Self-contained: nothing is fetched.
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<link") && !html.contains("src="))
    }

    @Test func everythingFromTheDocumentIsEscaped() throws {
        let record = try AnnotationRecord(Hostile.document())
        let html = HTMLReport(records: [record], errors: [.init(source: Hostile.script, error: "not-text", message: Hostile.image)],
                              title: "assay report").render()
        #expect(html.components(separatedBy: "<script").count - 1 == 1)  // only ours
        for tag in ["<img", "<svg", "<b>", "<a href=\"javascript", "<textarea", "onerror=\"", "onmouseover=\"", "onload=\""] {
            #expect(!html.contains(tag), "\(tag)")
        }
        #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;"))
        #expect(plainText(ofTextDiv: textDivs(html)[0]) == record.text)
        // An independent HTML parser finds only our own tags.
        let file = try scratch("escape") + "/hostile.html"
        try Data(html.utf8).write(to: URL(fileURLWithPath: file))
        let parsed = try runProcess(try python(), [viewsTool, "html-tags", file])
        let tags = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [String: Any], "\(parsed.error)")
        #expect(tags["title"] as? String == "assay report")
        let counts = tags["tags"] as? [String: Int] ?? [:]
        #expect(counts["script"] == 1 && counts["img"] == nil && counts["svg"] == nil && counts["b"] == nil && counts["a"] != nil)
        #expect((tags["eventAttributes"] as? [String])?.isEmpty == true && (tags["javascriptUrls"] as? [String])?.isEmpty == true)
        // Attribute values are quoted and escaped; ids and classes made of record values are tokens.
        #expect(!html.contains("data-kind=\"<"))
        #expect(HTML.escape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;")
        #expect(HTML.token("r1<\"'>-x") == "r1_3c_22_27_3e_2dx")
        #expect(HTML.scriptSafeJSON("{\"t\":\"</script>&\u{2028}\"}") == "{\"t\":\"\\u003c/script\\u003e\\u0026\\u2028\"}")
    }

    @Test func theScriptIsAllowedByItsHashAndEmbedsNoData() throws {
        let html = HTMLReport(records: [try AnnotationRecord(Hostile.document())]).render()
        let script = try #require(html.range(of: "<script>")).upperBound
        let end = try #require(html.range(of: "</script>", range: script..<html.endIndex)).lowerBound
        let body = String(html[script..<end])
        #expect(body == HTMLReport.script)
        let hash = Data(SHA256.digest(Array(body.utf8))).base64EncodedString()
        #expect(html.contains("script-src 'sha256-\(hash)'"))
        #expect(!body.contains("pwned"))
    }
}

// MARK: a real browser

/// Headless Chromium (Debian's `chromium`); the test fails with a clear message when it is missing.
func chromium() throws -> String {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let p = findExecutable(name) { return p }
    }
    throw ViewError("""
        chromium is not on PATH: the report tests render the page in a real browser. \
        Install it with scripts/setup --tests (apt-get update && apt-get install -y --no-install-recommends chromium).
        """)
}

func runChromium(_ arguments: [String], profile: String) throws -> ProcessResult {
    let browser = try chromium()
    var command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   "--user-data-dir=\(profile)", "--hide-scrollbars"] + arguments
    var executable = command.removeFirst()
    if let timeout = findExecutable("timeout") {
        command = ["120", executable] + command
        executable = timeout
    }
    return try runProcess(executable, command)
}

@Suite(.serialized, .scratchFolders) struct ChromiumTests {
    @Test func reportRendersWithHighlightsInChromium() throws {
        let dir = try scratch("chromium-report")
        let built = try HandBuilt.make(in: dir)
        let records = [try AnnotationRecord(built.document)] + (try seedRecords())
        let page = dir + "/report.html"
        try ViewFile.write(Array(HTMLReport(records: records).render().utf8), to: page)

        let dom = try runChromium(["--virtual-time-budget=3000", "--dump-dom", "file://" + page], profile: dir + "/profile-dom")
        #expect(dom.status == 0, "\(dom.error)")
        #expect(dom.output.contains("<title>assay report</title>"))
        // Our script ran (the CSP hash lets it): it shows the filters it keeps hidden without script.
        #expect(dom.output.contains("<div class=\"filters\" id=\"filters\">"), "the inline script did not run")
        // Every span of every record is a highlighted element in the page the browser built.
        var expected = 0
        for (n, r) in records.enumerated() {
            for id in r.entities.map(\.id) + r.citations.map(\.id) + r.references.map(\.id) {
                expected += 1
                #expect(dom.output.contains("<mark id=\"d\(n)-\(id)\""), "d\(n)-\(id)")
            }
        }
        #expect(dom.output.components(separatedBy: "<mark id=\"d").count - 1 == expected)

        // Screenshots: the highlight colours fill the text of the hand-built article (first, in view).
        // The legend shows the same colours, so compare with the same page without any span.
        var bare = records
        for i in bare.indices {
            bare[i].entities = []
            bare[i].citations = []
            bare[i].references = []
            bare[i].findings = []
        }
        let barePage = dir + "/bare.html"
        try ViewFile.write(Array(HTMLReport(records: bare).render().utf8), to: barePage)
        func highlightPixels(_ page: String, _ png: String) throws -> [String: Int] {
            let shot = try runChromium(["--window-size=1280,2600", "--virtual-time-budget=3000", "--screenshot=\(png)", "file://" + page],
                                       profile: dir + "/profile-" + URL(fileURLWithPath: png).lastPathComponent)
            #expect(shot.status == 0 && FileManager.default.fileExists(atPath: png), "\(shot.error)")
            let counts = try runProcess(try python(), [viewsTool, "png-colors", png, "fff0a0/4", "cfe2ff/4", "c8f0d6/4", "e9eef5/3", "ffe0db/4"])
            #expect(counts.status == 0, "\(counts.error)")
            return try #require(try JSONSerialization.jsonObject(with: Data(counts.output.utf8)) as? [String: Int])
        }
        let png = dir + "/report.png"
        let c = try highlightPixels(page, png)
        let base = try highlightPixels(barePage, dir + "/bare.png")
        let keep = FileManager.default.temporaryDirectory.appendingPathComponent("assay-report-screenshot.png").path
        try? FileManager.default.removeItem(atPath: keep)
        try? FileManager.default.copyItem(atPath: png, toPath: keep)
        print("report screenshot: \(keep)")
        for (colour, what, least) in [("fff0a0/4", "citation", 3000), ("cfe2ff/4", "treaty", 5000), ("c8f0d6/4", "organization", 3000),
                                      ("e9eef5/3", "reference entry", 10000), ("ffe0db/4", "orphaned citation", 800)] {
            #expect((c[colour] ?? 0) - (base[colour] ?? 0) >= least, "\(what) highlight: \(c[colour] ?? 0) pixels, \(base[colour] ?? 0) without spans")
        }
    }

    @Test func clickingAHighlightShowsWhatItIsAndFiltersHide() throws {
        // A wrapper page (same folder, file access allowed) clicks inside the report like a reader
        // would and writes what the report's own script did into its DOM.
        let dir = try scratch("chromium-interact")
        let built = try HandBuilt.make(in: dir)
        let record = try AnnotationRecord(built.document)
        try ViewFile.write(Array(HTMLReport(records: [record]).render().utf8), to: dir + "/report.html")
        let citation = try #require(record.citations.first { $0.authors == ["Kai"] })
        let wrapper = """
            <!DOCTYPE html><html><head><title>wrapper</title></head><body>
            <iframe id="f" src="report.html" width="1200" height="800"></iframe>
            <script>
            var f = document.getElementById('f');
            f.onload = function () {
              var out = {};
              try {
                var d = f.contentDocument;
                d.getElementById('d0-\(citation.id)').click();
                var p = d.getElementById('info');
                out.panelShown = !p.hidden;
                out.panelText = p.textContent;
                out.links = Array.prototype.map.call(p.querySelectorAll('a.go'), function (a) { return a.getAttribute('href'); });
                d.querySelector('input[data-sev="error"]').click();
                out.hiddenErrors = d.querySelectorAll('li.finding[data-sev="error"][hidden]').length;
                out.shownFindings = d.querySelector('.shown').textContent;
                out.orphanUnderlined = d.querySelector('mark.cit-orphan').classList.contains('fx-error');
                d.querySelector('input[data-kind="malformed-citation"]').click();
                out.citationSeverity = d.getElementById('d0-\(citation.id)').className;
                d.querySelector('input[data-layer="t-treaty"]').click();
                out.bodyClass = d.body.className;
              } catch (e) { out.error = String(e); }
              document.getElementById('result').textContent = JSON.stringify(out);
            };
            </script><pre id="result"></pre></body></html>
            """
        try ViewFile.write(Array(wrapper.utf8), to: dir + "/wrapper.html")
        let dom = try runChromium(["--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", "file://" + dir + "/wrapper.html"],
                                  profile: dir + "/profile")
        #expect(dom.status == 0, "\(dom.error)")
        let json = try #require(dom.output.range(of: #"(?<=<pre id="result">).*(?=</pre>)"#, options: .regularExpression).map { String(dom.output[$0]) })
        let unescaped = json.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(unescaped.utf8)) as? [String: Any], "\(json)")
        #expect(out["error"] == nil, "\(out)")
        #expect(out["panelShown"] as? Bool == true)
        let text = out["panelText"] as? String ?? ""
        #expect(text.contains("citation \(citation.id): (Kai, et. Al 2020)"))
        #expect(text.contains("Resolves to \(citation.references[0]): Kai, S., Wang, B. (2020)"))
        #expect(text.contains("info · malformed-citation") && text.contains("warning · topic-mismatch"))
        #expect((out["links"] as? [String])?.first == "#d0-ref-\(citation.references[0])")
        #expect(out["hiddenErrors"] as? Int == 3 && out["shownFindings"] as? String == "6")
        #expect(out["orphanUnderlined"] as? Bool == false)
        // With malformed-citation hidden too, the citation keeps the underline of its warning.
        #expect((out["citationSeverity"] as? String)?.contains("fx-warning") == true)
        #expect(out["bodyClass"] as? String == "hide-t-treaty")
    }

    @Test func hostileDocumentsRunNoScript() throws {
        let dir = try scratch("chromium-hostile")
        var records = [try AnnotationRecord(Hostile.document())]
        // Also through the real pipeline: a text file made of markup, and the hostile HTML sample.
        let hostileText = dir + "/hostile-\u{1F600}.txt"
        try Data((Hostile.script + "\n\n" + Hostile.image + " " + Hostile.link + "\n\n" + Hostile.closing + "\n").utf8)
            .write(to: URL(fileURLWithPath: hostileText))
        var inputs = [hostileText]
        let sample = repoRoot.appendingPathComponent("corpus/samples/hostile.html").path
        if FileManager.default.fileExists(atPath: sample) { inputs.append(sample) }
        let pipeline = try defaultPipeline()
        for item in InputCollector.collect(inputs) {
            if case .record(let line, _, _) = BatchRun(pipeline: pipeline, jobs: 1).process(item) {
                records.append(try AnnotationRecord.decode(line))
            }
        }
        let page = dir + "/hostile.html"
        try ViewFile.write(Array(HTMLReport(records: records, errors: [.init(source: Hostile.script, error: "not-text", message: Hostile.image)]).render().utf8), to: page)
        let dom = try runChromium(["--virtual-time-budget=3000", "--dump-dom", "file://" + page], profile: dir + "/profile")
        #expect(dom.status == 0, "\(dom.error)")
        let out = dom.output
        #expect(out.contains("<title>assay report</title>"))
        #expect(!out.contains("<title>pwned"))
        #expect(out.components(separatedBy: "<script").count - 1 == 1)
        // What the browser built, as an independent HTML parser reads the serialized DOM.
        let domFile = dir + "/dom.html"
        try Data(out.utf8).write(to: URL(fileURLWithPath: domFile))
        let parsed = try runProcess(try python(), [viewsTool, "html-tags", domFile])
        let tags = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [String: Any], "\(parsed.error)")
        #expect(tags["title"] as? String == "assay report")
        let counts = tags["tags"] as? [String: Int] ?? [:]
        #expect(counts["script"] == 1)
        for tag in ["img", "svg", "iframe", "object", "embed", "textarea", "b"] {
            #expect(counts[tag] == nil, "<\(tag)> in the rendered page")
        }
        #expect(counts["style"] == 1)
        #expect((tags["eventAttributes"] as? [String])?.isEmpty == true, "\(tags["eventAttributes"] ?? "")")
        #expect((tags["javascriptUrls"] as? [String])?.isEmpty == true, "\(tags["javascriptUrls"] ?? "")")
        // The markup is there, as text.
        #expect(out.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
        #expect(out.contains("<div class=\"filters\" id=\"filters\">"), "the report's own script must still run")
    }
}
