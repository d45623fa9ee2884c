import AssayCore
import Foundation
import Pipeline
#if canImport(Glibc)
import Glibc
#endif

/// assay-bench: how fast and how lean assay is, end to end.
///
/// Makes a deterministic corpus of realistic documents from the paragraphs and reference lists of
/// `corpus/` (plain text, Markdown-like text and HTML pages, each with its reference list), then runs
/// the real `assay run` binary on it and prints, per size and kind: MB/s and documents/s end to end
/// (read, ingest, every stage, write annotations.jsonl), peak resident memory, the speed-up of
/// `--jobs 2` over `--jobs 1` (and whether their outputs are byte-identical), the time per MB of one
/// large document at two sizes (it should not grow), and the time of each stage measured in-process. Figures also go to a JSON file so a change's effect can be compared.
///
///     swift build -c release && .build/release/assay-bench --sizes 10,100 --out bench-results.json
@main
struct Bench {
    static func main() throws {
        var args = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
            let v = args[i + 1]
            args.removeSubrange(i...(i + 1))
            return v
        }
        if args.contains("--help") || args.contains("-h") {
            print("""
            usage: assay-bench [--sizes MB,MB,...] [--single MB,MB,...] [--runs N] [--corpus DIR] [--work DIR] [--assay PATH] [--pipeline FILE] [--out FILE] [--kinds plain,html]
              --sizes     corpus sizes in MB to measure (default 10,100; add 1000 for the 1 GB run)
              --single    sizes in MB of one large document, timed alone (default 5,50; "" for none)
              --runs      times each measurement is run; the median is reported, with the range (default 3)
              --corpus    where the seed documents are (default: corpus)
              --work      where generated corpora and outputs go (default: a folder under /tmp)
              --assay     the assay binary to measure (default: beside this one)
              --out       the JSON file for the figures (default: bench-results.json)
                   assay-bench stages DIR... [--pipeline FILE] [--write records.jsonl]
                          (in-process, one thread: per-stage times, and the records for comparison)
            Examples:
              swift build -c release && .build/release/assay-bench
              .build/release/assay-bench stages /tmp/assay-bench/plain-10MB --write /tmp/before.jsonl
              .build/release/assay-bench --sizes 10,100,1000 --out bench-1g.json
            """)
            return
        }
        if args.first == "stages" {
            // A quick loop for profiling one stage: in-process, one thread, per-stage times, and the
            // records written out so a change can be checked to leave the output byte-identical.
            args.removeFirst()
            let pipeline = try Pipeline.load(option("--pipeline") ?? defaultPipelinePath())
            let write = option("--write")
            for dir in args {
                let timing = try stageTimes(pipeline, dir, write: write)
                print("stages (\(dir), one thread): " + timing.map { "\($0.name) \(fmt($0.seconds)) s = \(fmt($0.mbps)) MB/s" }.joined(separator: ", "))
            }
            return
        }
        let sizes = (option("--sizes") ?? "10,100").split(separator: ",").compactMap { Int($0) }
        let corpus = option("--corpus") ?? "corpus"
        let work = option("--work") ?? (NSTemporaryDirectory() + "assay-bench")
        let assay = option("--assay") ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("assay").path
        let pipelinePath = option("--pipeline") ?? defaultPipelinePath()
        let outFile = option("--out") ?? "bench-results.json"
        let kinds = (option("--kinds") ?? "plain,html").split(separator: ",").map(String.init)
        let singles = (option("--single") ?? "5,50").split(separator: ",").compactMap { Int($0) }
        let runs = max(1, Int(option("--runs") ?? "3") ?? 3)

        let generator = try CorpusGenerator(corpusDir: corpus)
        var results: [[String: Any]] = []
        print("assay-bench: \(assay), pipeline \(pipelinePath), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("each figure is the median of \(runs) run\(runs == 1 ? "" : "s") (the range of MB/s in brackets)")
        print(pad("kind", 6) + pad("size", 8) + pad("docs", 8) + pad("jobs1 MB/s", 19) + pad("docs/s", 9) + pad("peak MB", 9)
              + pad("jobs2 MB/s", 19) + pad("speed-up", 10) + pad("peak MB", 9) + "identical")
        for size in sizes {
            for kind in kinds {
                let dir = "\(work)/\(kind)-\(size)MB"
                let (docs, bytes) = try generator.write(kind: kind, megabytes: size, to: dir)
                sync()  // (the corpus just written is not flushed to disk during the timed runs)
                // --jobs 1 and --jobs 2 take turns, so a machine that slows down mid-way slows both.
                var ones: [Measurement] = [], twos: [Measurement] = []
                for _ in 0..<runs {
                    ones.append(try measure(assay, dir, jobs: 1, pipeline: pipelinePath, work: work))
                    twos.append(try measure(assay, dir, jobs: 2, pipeline: pipelinePath, work: work))
                }
                let one = Repeated(ones), two = Repeated(twos)
                let identical = try sameBytes(ones[0].out + "/annotations.jsonl", twos[0].out + "/annotations.jsonl")
                let mb = Double(bytes) / 1_000_000
                print(pad(kind, 6) + pad("\(size) MB", 8) + pad("\(docs)", 8) + pad(one.rate(mb), 19)
                      + pad(fmt(Double(docs) / one.seconds), 9) + pad(fmt(one.peakMB), 9) + pad(two.rate(mb), 19)
                      + pad(fmt(one.seconds / two.seconds) + "x", 10) + pad(fmt(two.peakMB), 9) + (identical ? "yes" : "NO"))
                results.append([
                    "kind": kind, "sizeMB": size, "documents": docs, "bytes": bytes, "runs": runs,
                    "jobs1": one.figures(mb: mb, documents: docs),
                    "jobs2": two.figures(mb: mb, documents: docs),
                    "speedup": one.seconds / two.seconds, "identical": identical,
                ])
                try? FileManager.default.removeItem(atPath: ones[0].out)
                try? FileManager.default.removeItem(atPath: twos[0].out)
            }
        }

        // One large document at two sizes: time per MB should stay the same (no stage worse than
        // linear on a single document), and memory grows with the document, not the corpus.
        var singleResults: [[String: Any]] = []
        if !singles.isEmpty {
            print("one document, --jobs 1:")
            print(pad("kind", 6) + pad("size", 8) + pad("seconds", 9) + pad("MB/s", 8) + pad("s/MB", 8) + pad("peak MB", 9) + "s/MB vs smallest")
            for kind in kinds {
                var firstPerMB: Double?
                for size in singles {
                    let file = "\(work)/single-\(kind)-\(size)MB/document.\(kind == "html" ? "html" : "txt")"
                    let bytes = try generator.writeSingle(kind: kind, megabytes: size, to: file)
                    sync()
                    let m = Repeated(try (0..<runs).map { _ in try measure(assay, file, jobs: 1, pipeline: pipelinePath, work: work) })
                    try? FileManager.default.removeItem(atPath: m.runs[0].out)
                    let mb = Double(bytes) / 1_000_000
                    let perMB = m.seconds / mb
                    let ratio = perMB / (firstPerMB ?? perMB)
                    if firstPerMB == nil { firstPerMB = perMB }
                    print(pad(kind, 6) + pad("\(size) MB", 8) + pad(fmt(m.seconds), 9) + pad(fmt(mb / m.seconds), 8)
                          + pad(String(format: "%.3f", perMB), 8) + pad(fmt(m.peakMB), 9) + String(format: "%.2fx", ratio))
                    singleResults.append(["kind": kind, "sizeMB": size, "bytes": bytes, "seconds": m.seconds, "MBps": mb / m.seconds,
                                          "peakRSSMB": m.peakMB, "secondsPerMBRatio": ratio, "runSeconds": m.runs.map(\.seconds)])
                }
            }
        }

        // Per stage, in-process, one thread, on the smallest corpus of each kind.
        let pipeline = try Pipeline.load(pipelinePath)
        var stageResults: [[String: Any]] = []
        for kind in kinds {
            let dir = "\(work)/\(kind)-\(sizes.min() ?? 10)MB"
            // (each stage's median over the runs; a stage's MB are the same in every run)
            let passes = try (0..<runs).map { _ in try stageTimes(pipeline, dir) }
            let timing = passes[0].indices.map { k -> (name: String, seconds: Double, mbps: Double) in
                let first = passes[0][k]
                let seconds = median(passes.map { $0[k].seconds })
                return (first.name, seconds, seconds > 0 ? first.mbps * first.seconds / seconds : 0)
            }
            let line = timing.map { "\($0.name) \(fmt($0.mbps)) MB/s" }.joined(separator: ", ")
            print("stages (\(kind), one thread): \(line)")
            stageResults.append(["kind": kind, "stages": timing.map { ["stage": $0.name, "seconds": $0.seconds, "MBps": $0.mbps] }])
        }
        let report: [String: Any] = ["assay": assay, "pipeline": pipelinePath, "cores": ProcessInfo.processInfo.activeProcessorCount,
                                     "date": ISO8601DateFormatter().string(from: Date()), "runs": results, "singleDocument": singleResults, "stages": stageResults]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: outFile))
        print("figures written to \(outFile)")
    }

    /// Compares two files in chunks. Loading them whole would grow this process, and a child's
    /// peak RSS as Linux reports it starts from its parent's at spawn time.
    static func sameBytes(_ a: String, _ b: String) throws -> Bool {
        let fa = try FileHandle(forReadingFrom: URL(fileURLWithPath: a))
        let fb = try FileHandle(forReadingFrom: URL(fileURLWithPath: b))
        defer { try? fa.close(); try? fb.close() }
        while true {
            let x = try fa.read(upToCount: 1 << 20) ?? Data()
            let y = try fb.read(upToCount: 1 << 20) ?? Data()
            if x != y { return false }
            if x.isEmpty { return true }
        }
    }

    struct Measurement { var seconds: Double; var cpu: Double; var peakMB: Double; var out: String }

    /// The median of `values` (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Runs of one measurement. Wall times on a shared machine drift (up to 1.7x within an hour
    /// here), so the figure is the median run's, and the range is shown beside it.
    struct Repeated {
        let runs: [Measurement]
        init(_ runs: [Measurement]) { self.runs = runs }
        var seconds: Double { median(runs.map(\.seconds)) }
        var peakMB: Double { runs.map(\.peakMB).max() ?? 0 }
        /// "21.4 (19.0-22.3)": the median's MB/s and the slowest and fastest run's.
        func rate(_ mb: Double) -> String {
            let s = runs.map(\.seconds).sorted()
            return runs.count == 1 ? fmt(mb / seconds) : "\(fmt(mb / seconds)) (\(fmt(mb / s.last!))-\(fmt(mb / s.first!)))"
        }
        func figures(mb: Double, documents: Int) -> [String: Any] {
            ["seconds": seconds, "MBps": mb / seconds, "docsPerSecond": Double(documents) / seconds, "peakRSSMB": peakMB,
             "cpuSeconds": median(runs.map(\.cpu)), "runSeconds": runs.map(\.seconds)]
        }
    }

    /// Runs `assay run` as a child process and reads its wall time, CPU time and peak RSS. The
    /// output folder is emptied first: replacing a large earlier output frees its blocks inside
    /// the run's final rename.
    static func measure(_ assay: String, _ dir: String, jobs: Int, pipeline: String, work: String) throws -> Measurement {
        let out = "\(work)/out-\(URL(fileURLWithPath: dir).lastPathComponent)-j\(jobs)"
        try? FileManager.default.removeItem(atPath: out)
        // The runs before (2.2 bytes written per input byte) are on the disk before the clock
        // starts: a run waits for its own writes only, not for the last one's.
        sync()
        let argv = [assay, "run", dir, "--out", out, "--jobs", "\(jobs)", "--pipeline", pipeline]
        let start = Date()
        var pid: pid_t = 0
        var cargs = argv.map { strdup($0) } + [nil]
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        let rc = posix_spawn(&pid, assay, &fileActions, nil, &cargs, environ)
        posix_spawn_file_actions_destroy(&fileActions)
        for p in cargs { free(p) }
        guard rc == 0 else { throw CocoaError(.executableNotLoadable, userInfo: [NSLocalizedDescriptionKey: "cannot start \(assay)"]) }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let seconds = Date().timeIntervalSince(start)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Measurement(seconds: seconds, cpu: cpu, peakMB: Double(usage.ru_maxrss) / 1024, out: out)
    }

    /// Time spent in each stage over every document of `dir`, one thread, reading excluded.
    static func stageTimes(_ pipeline: Pipeline, _ dir: String, write: String? = nil) throws -> [(name: String, seconds: Double, mbps: Double)] {
        let items = InputCollector.collect([dir])
        let output = try write.map { try AtomicFile($0) }
        var seconds = [Double](repeating: 0, count: pipeline.stages.count + 1)
        var bytes = 0
        for item in items {
            guard case .success(let raw) = InputCollector.read(item.source, limit: pipeline.maxInputBytes) else { continue }
            bytes += raw.count
            var doc = Document(source: item.source, raw: raw)
            for (n, stage) in pipeline.stages.enumerated() {
                let t = DispatchTime.now().uptimeNanoseconds
                try? stage.process(&doc)
                seconds[n] += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
            }
            let t = DispatchTime.now().uptimeNanoseconds
            let line = RecordWriter.json(doc)
            seconds[pipeline.stages.count] += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
            try output?.write(line + [0x0A])
        }
        try output?.commit()
        let names = pipeline.stages.map { type(of: $0).name } + ["record"]
        let mb = Double(bytes) / 1_000_000
        return zip(names, seconds).map { ($0, $1, $1 > 0 ? mb / $1 : 0) }
    }

    static func fmt(_ d: Double) -> String { String(format: d >= 100 ? "%.0f" : "%.1f", d) }
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}

/// Makes documents like the corpus's: each one takes a seed's title, a shuffled run of its
/// paragraphs (the citations in them keep pointing at its references) and its whole reference
/// list; HTML documents wrap the same content in a page with navigation, a cookie banner, a
/// sidebar, comments and a footer. A fixed seed makes the same corpus every time.
struct CorpusGenerator {
    struct Source {
        var title: String
        var paragraphs: [String]
        var references: [String]
        var markdown: Bool
    }
    let sources: [Source]

    init(corpusDir: String) throws {
        var sources: [Source] = []
        let seeds = "\(corpusDir)/seeds"
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds).sorted() {
            let text = try String(contentsOfFile: "\(seeds)/\(name)", encoding: .utf8)
            let blocks = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard blocks.count > 3 else { continue }
            let refIndex = blocks.firstIndex { $0.uppercased().hasSuffix("REFERENCES") && $0.count < 20 }
            let body = Array(blocks[1..<(refIndex ?? blocks.count)])
            let refs = refIndex.map { blocks[($0 + 1)...].flatMap { $0.components(separatedBy: "\n") }.filter { !$0.isEmpty } } ?? []
            sources.append(Source(title: blocks[0], paragraphs: body, references: refs, markdown: text.contains("\n## ")))
        }
        self.sources = sources
    }

    /// Writes documents of about 40 KB until `megabytes` is reached; returns (documents, bytes).
    func write(kind: String, megabytes: Int, to dir: String) throws -> (Int, Int) {
        let fm = FileManager.default
        let marker = dir + "/.complete"
        if fm.fileExists(atPath: marker), let s = try? String(contentsOfFile: marker, encoding: .utf8) {
            let parts = s.split(separator: " ").compactMap { Int($0) }
            if parts.count == 2 { return (parts[0], parts[1]) }
        }
        try? fm.removeItem(atPath: dir)
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: kind == "html" ? 2 : 1)
        var total = 0
        var n = 0
        let target = megabytes * 1_000_000
        while total < target {
            let src = sources[Int(rng.next() % UInt64(sources.count))]
            let text = kind == "html" ? html(src, &rng) : plain(src, &rng)
            let bytes = Array(text.utf8)
            let ext = kind == "html" ? "html" : (src.markdown ? "md" : "txt")
            try Data(bytes).write(to: URL(fileURLWithPath: String(format: "%@/%06d.%@", dir, n, ext)))
            total += bytes.count
            n += 1
        }
        try "\(n) \(total)".write(toFile: marker, atomically: true, encoding: .utf8)
        return (n, total)
    }

    func bodyParagraphs(_ src: Source, _ rng: inout SplitMix64) -> [String] {
        var out: [String] = []
        var size = 0
        let want = 30_000 + Int(rng.next() % 20_000)
        while size < want, !src.paragraphs.isEmpty {
            let p = src.paragraphs[Int(rng.next() % UInt64(src.paragraphs.count))]
            out.append(p)
            size += p.utf8.count
        }
        return out
    }

    func plain(_ src: Source, _ rng: inout SplitMix64) -> String {
        var s = src.title + "\n\n" + bodyParagraphs(src, &rng).joined(separator: "\n\n")
        if !src.references.isEmpty { s += "\n\n" + (src.markdown ? "## REFERENCES" : "REFERENCES") + "\n\n" + src.references.joined(separator: "\n") }
        return s + "\n"
    }

    func html(_ src: Source, _ rng: inout SplitMix64) -> String {
        pageTop(src) + articleBody(src, &rng) + pageBottom
    }

    private func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "#", with: "")
    }

    /// A news site's page around an article: navigation, a cookie banner, the article's heading.
    func pageTop(_ src: Source) -> String {
        """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>\(esc(src.title)) | Rights Review</title>
        <style>body{font-family:serif} .nav a{margin:0 4px}</style><script>window.dataLayer=[];function track(){}</script></head>
        <body><header class="site-header"><nav class="nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/reports">Reports</a> <a href="/about">About us</a></nav></header>
        <div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. <button>Accept all</button></div>
        <main><article class="post"><h1>\(esc(src.title))</h1><p class="byline">By Staff Writer</p>

        """
    }

    /// The article's paragraphs, tables, headings and reference list.
    func articleBody(_ src: Source, _ rng: inout SplitMix64) -> String {
        articleParagraphs(src, &rng) + referenceList(src.references)
    }

    func articleParagraphs(_ src: Source, _ rng: inout SplitMix64) -> String {
        var s = ""
        for p in bodyParagraphs(src, &rng) {
            if p.contains("\t") {
                s += "<table>" + p.split(separator: "\n").map { "<tr>" + $0.split(separator: "\t").map { "<td>\(esc(String($0)))</td>" }.joined() + "</tr>" }.joined() + "</table>\n"
            } else if p.count < 80, !p.hasSuffix(".") {
                s += "<h2>\(esc(p))</h2>\n"
            } else {
                s += "<p>\(esc(p))</p>\n"
            }
        }
        return s
    }

    func referenceList(_ references: [String]) -> String {
        guard !references.isEmpty else { return "" }
        return "<h2>References</h2><ol class=\"references\">" + references.map { "<li>\(esc($0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0))</li>" }.joined(separator: "\n") + "</ol>\n"
    }

    /// The sidebar, comments and footer after the article.
    let pageBottom = """
        </article><aside class="sidebar"><h3>Related articles</h3><ul><li><a href="/a">Courts and commissions</a></li><li><a href="/b">A decade of reports</a></li></ul></aside></main>
        <section id="comments" class="comments"><h3>2 comments</h3><div class="comment"><p>Great article, thanks for sharing.</p></div></section>
        <footer class="site-footer"><p>© 2026 Rights Review. All rights reserved.</p><a href="/privacy">Privacy</a></footer></body></html>

        """

    /// One document of about `megabytes`, like a book or a long report: the paragraphs of many
    /// articles one after another, then one reference list holding every work they cite (each once);
    /// for HTML, all of it in one page's article. Returns its size in bytes.
    func writeSingle(kind: String, megabytes: Int, to path: String) throws -> Int {
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 { return size }
        var rng = SplitMix64(seed: kind == "html" ? 4 : 3)
        let target = megabytes * 1_000_000
        var parts = [kind == "html" ? pageTop(sources[0]) : sources[0].title + "\n"]
        var total = parts[0].utf8.count
        var used = Set<Int>()
        while total < target {
            let n = Int(rng.next() % UInt64(sources.count))
            used.insert(n)
            let part = kind == "html" ? articleParagraphs(sources[n], &rng) : "\n" + bodyParagraphs(sources[n], &rng).joined(separator: "\n\n") + "\n"
            parts.append(part)
            total += part.utf8.count
        }
        var seen = Set<String>()
        let references = used.sorted().flatMap { sources[$0].references }.filter { seen.insert($0).inserted }
        parts.append(kind == "html" ? referenceList(references) + pageBottom : "\nREFERENCES\n\n" + references.joined(separator: "\n") + "\n")
        let bytes = Array(parts.joined().utf8)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        return bytes.count
    }
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
