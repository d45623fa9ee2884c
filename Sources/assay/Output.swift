import ArgumentParser
import AssayCore
import Foundation
import Pipeline
import Views
#if canImport(Glibc)
import Glibc
#endif

// MARK: terminal

enum Terminal {
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Colour on a terminal, unless NO_COLOR is set (to anything non-empty) or TERM is dumb.
    static func colorAllowed(fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        if let v = env["NO_COLOR"], !v.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isTTY(fd)
    }

    static func write(_ s: String, to fd: Int32) {
        var s = s
        s.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                off += n
            }
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case auto, always, never

    func enabled(fd: Int32) -> Bool {
        switch self {
        case .auto: Terminal.colorAllowed(fd: fd)
        case .always: true
        case .never: false
        }
    }
}

/// Standard output through one buffer (big listings are written in large chunks).
final class StandardOutput {
    private var buffer: [UInt8] = []

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

// MARK: progress

/// A progress bar on standard error while documents are processed: only on a terminal, never with
/// --quiet. Off a terminal it prints nothing (the final summary says what was done).
final class Progress {
    private let enabled: Bool
    private let totalDocuments: Int
    private let totalBytes: Int
    private var documents = 0
    private var bytes = 0
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(items: [InputItem], enabled: Bool) {
        self.enabled = enabled
        totalDocuments = items.count
        var total = 0
        if enabled {
            for item in items where item.error == nil {
                var st = stat()
                if stat(item.source, &st) == 0 { total += Int(st.st_size) }
            }
        }
        totalBytes = total
    }

    /// One more input done (`bytes` read from it).
    func advance(bytes: Int) {
        documents += 1
        self.bytes += bytes
        guard enabled else { return }
        let now = Date()
        if now.timeIntervalSince(lastDraw) >= 0.1 || documents == totalDocuments {
            lastDraw = now
            draw(now)
        }
    }

    /// A line that must not be mixed with the bar (a verbose line, an error).
    func log(_ line: String) {
        if drawn { Terminal.write("\r\u{1B}[2K", to: 2) }
        Terminal.write(line + "\n", to: 2)
        if drawn { draw(Date()) }
    }

    /// Removes the bar.
    func finish() {
        if drawn { Terminal.write("\r\u{1B}[2K", to: 2) }
        drawn = false
    }

    private func draw(_ now: Date) {
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let fraction = totalBytes > 0 ? min(1, Double(bytes) / Double(totalBytes))
            : (totalDocuments > 0 ? Double(documents) / Double(totalDocuments) : 1)
        let width = 24
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = Double(bytes) / elapsed
        var line = "\(bar) \(documents)/\(totalDocuments) documents  \(Self.size(bytes))/\(Self.size(totalBytes))  \(Self.size(Int(rate)))/s"
        if rate > 0 && bytes < totalBytes {
            line += "  \(Self.duration(Double(totalBytes - bytes) / rate)) left"
        }
        Terminal.write("\r\u{1B}[2K" + line, to: 2)
        drawn = true
    }

    static func size(_ n: Int) -> String {
        if n < 1000 { return "\(n) B" }
        if n < 1_000_000 { return String(format: "%.1f kB", Double(n) / 1000) }
        if n < 1_000_000_000 { return String(format: "%.1f MB", Double(n) / 1_000_000) }
        return String(format: "%.2f GB", Double(n) / 1_000_000_000)
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded(.up))
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m\(String(format: "%02d", t % 60))s" }
        return "\(t / 3600)h\(String(format: "%02d", (t % 3600) / 60))m"
    }
}

// MARK: exports

enum ExportFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case webanno, brat, sqlite, csv, html

    /// Where `assay run --format` writes it inside the output folder.
    var defaultName: String {
        switch self {
        case .webanno: "annotations.jsonld"
        case .brat: "brat"
        case .sqlite: "annotations.sqlite"
        case .csv: "findings.csv"
        case .html: "report.html"
        }
    }

    static let help = """
      webanno  W3C Web Annotations (JSON-LD): one JSON file holding an array
               of AnnotationCollections, one per document
      brat     a folder: NAME.txt + NAME.ann per document, annotation.conf and
               visual.conf (for brat and INCEpTION)
      sqlite   an SQLite database updated in place by document id: tables
               documents, sections, entities, citations, citation_links,
               "references", findings, finding_spans; FTS5 index text_search
      csv      findings as RFC 4180 CSV, one row per finding
      html     the HTML report (as `assay report`)
    """
}

/// Something records are written to, one at a time.
protocol RecordSink: AnyObject {
    var output: String { get }
    func add(_ record: AnnotationRecord) throws
    func finish() throws
    func abort()
}

/// Opens the sink for a format. `inputErrors` feeds the HTML report's list of unreadable inputs.
func makeSink(_ format: ExportFormat, path: String, inputErrors: @escaping () -> [HTMLReport.InputErrorLine] = { [] }) throws -> RecordSink {
    switch format {
    case .webanno: return try WebAnnotationSink(path)
    case .brat: return try BratSink(path)
    case .sqlite: return try SQLiteSink(path)
    case .csv: return try CSVSink(path)
    case .html: return try HTMLSink(path, inputErrors: inputErrors)
    }
}

final class WebAnnotationSink: RecordSink {
    let output: String
    private let file: AtomicFile
    private var export: WebAnnotationExport

    init(_ path: String) throws {
        output = path
        let file = try AtomicFile(path)
        self.file = file
        export = try WebAnnotationExport(write: { try file.write($0) })
    }

    func add(_ record: AnnotationRecord) throws { try export.add(record) }
    func finish() throws {
        try export.finish()
        try file.commit()
    }
    func abort() { file.abort() }
}

final class CSVSink: RecordSink {
    let output: String
    private let file: AtomicFile
    private var export: FindingsCSV

    init(_ path: String) throws {
        output = path
        let file = try AtomicFile(path)
        self.file = file
        export = try FindingsCSV(write: { try file.write($0) })
    }

    func add(_ record: AnnotationRecord) throws { try export.add(record) }
    func finish() throws {
        try export.finish()
        try file.commit()
    }
    func abort() { file.abort() }
}

final class BratSink: RecordSink {
    let output: String
    private var export: BratExport

    init(_ path: String) throws {
        output = path
        export = try BratExport(directory: path)
    }

    func add(_ record: AnnotationRecord) throws { try export.add(record) }
    func finish() throws { try export.finish() }
    func abort() { export.abort() }
}

final class SQLiteSink: RecordSink {
    let output: String
    private let store: SQLiteStore

    init(_ path: String) throws {
        output = path
        store = try SQLiteStore(path: path)
    }

    func add(_ record: AnnotationRecord) throws { try store.add(record) }
    func finish() throws { try store.finish() }
    func abort() {}  // every batch is its own transaction: what was written is whole
}

final class HTMLSink: RecordSink {
    let output: String
    private var records: [AnnotationRecord] = []
    private let inputErrors: () -> [HTMLReport.InputErrorLine]
    var title = "assay report"

    init(_ path: String, inputErrors: @escaping () -> [HTMLReport.InputErrorLine]) throws {
        output = path
        self.inputErrors = inputErrors
        // Fail early when the folder cannot take the file.
        let probe = try AtomicFile(path)
        probe.abort()
    }

    func add(_ record: AnnotationRecord) throws { records.append(record) }
    func finish() throws {
        let html = HTMLReport(records: records, errors: inputErrors(), title: title).render()
        let file = try AtomicFile(output)
        try file.write(html)
        try file.commit()
    }
    func abort() {}
}

/// Resolves `--in`: a records file, or a folder holding annotations.jsonl.
func recordsPath(_ given: String) -> String {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: given, isDirectory: &isDir), isDir.boolValue {
        return (given.hasSuffix("/") ? given : given + "/") + "annotations.jsonl"
    }
    return given
}

/// errors.jsonl beside a records file (none if absent).
func inputErrors(besideRecords path: String) -> [HTMLReport.InputErrorLine] {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return HTMLReport.readErrors(dir + "/errors.jsonl")
}
