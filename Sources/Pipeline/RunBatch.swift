import AssayCore
import Foundation

/// What one input became.
public enum Processed: Sendable {
    /// The record's JSON line (without newline), and the document when a view asked for it.
    case record(line: [UInt8], document: Document?, bytes: Int)
    case failure(source: String, error: InputError, bytes: Int)
}

public struct BatchSummary: Sendable {
    public var documents = 0
    public var errors = 0
    public var bytes = 0
    public var seconds = 0.0

    public var line: String {
        let mb = Double(bytes) / 1_000_000
        return "\(documents) document\(documents == 1 ? "" : "s"), \(bytes) bytes, "
            + String(format: "%.2f s (%.1f MB/s)", seconds, seconds > 0 ? mb / seconds : 0)
            + ", \(errors) error\(errors == 1 ? "" : "s")"
    }
}

/// Processes a batch in input order on `jobs` threads and writes `annotations.jsonl` and
/// `errors.jsonl` into `outDir`, each renamed into place only when complete.
public struct BatchRun: Sendable {
    public var pipeline: Pipeline
    public var jobs: Int
    /// Hand each finished document to `observe` (for views written in the same run).
    public var keepDocuments = false

    public init(pipeline: Pipeline, jobs: Int) {
        self.pipeline = pipeline
        self.jobs = jobs
    }

    /// Runs the pipeline on one item: read, every stage, and the record's JSON.
    public func process(_ item: InputItem) -> Processed {
        if let e = item.error { return .failure(source: item.source, error: e, bytes: 0) }
        // Named if a bug stops the process while this document is in hand (see CrashCleanup).
        let slot = DocumentsInProgress.begin(item.source)
        defer { DocumentsInProgress.end(slot) }
        #if DEBUG
        Self.trapForTests(item.source)
        #endif
        switch InputCollector.read(item.source, limit: pipeline.maxInputBytes) {
        case .failure(let e):
            return .failure(source: item.source, error: e, bytes: 0)
        case .success(let bytes):
            switch pipeline.process(source: item.source, bytes: bytes) {
            case .failure(let e): return .failure(source: item.source, error: e, bytes: bytes.count)
            case .success(let doc):
                return .record(line: RecordWriter.json(doc), document: keepDocuments ? doc : nil, bytes: bytes.count)
            }
        }
    }

    @discardableResult
    public func run(_ items: [InputItem], outDir: String,
                    observe: (Int, Processed) throws -> Void = { _, _ in },
                    reportError: (String, InputError) -> Void = { _, _ in }) throws -> BatchSummary {
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        CrashCleanup.install()
        let annotations = try AtomicFile(outDir + "/annotations.jsonl")
        let errors = try AtomicFile(outDir + "/errors.jsonl")
        var summary = BatchSummary()
        let started = Date()
        let me = self
        // Each document, when taken, has the one `readAhead` places after it read ahead; the first
        // has those before that too. Items are taken in order, so each is asked for once.
        let readAhead = 2 * max(1, jobs) + 2
        do {
            try orderedParallelMap(count: items.count, jobs: jobs, work: { i in
                if i == 0 { for k in 0..<min(readAhead, items.count) { InputCollector.prefetch(items[k]) } }
                if i + readAhead < items.count { InputCollector.prefetch(items[i + readAhead]) }
                return me.process(items[i])
            }) { i, result in
                switch result {
                case .record(let line, _, let bytes):
                    try annotations.write(line)
                    try annotations.write([0x0A])
                    summary.documents += 1
                    summary.bytes += bytes
                case .failure(let source, let error, let bytes):
                    try errors.write(Self.errorLine(source: source, error: error))
                    try errors.write([0x0A])
                    summary.errors += 1
                    summary.bytes += bytes
                    reportError(source, error)
                }
                try observe(i, result)
            }
            try annotations.commit()
            try errors.commit()
        } catch {
            annotations.abort()
            errors.abort()
            throw error
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    #if DEBUG
    /// Debug builds only: a document whose path contains ASSAY_DEBUG_TRAP stops the process as a
    /// bug would (ASSAY_DEBUG_OVERFLOW: by a recursion that overflows the stack), so the tests can
    /// check what a user sees then.
    private static let trapMarker = ProcessInfo.processInfo.environment["ASSAY_DEBUG_TRAP"]
    private static let overflowMarker = ProcessInfo.processInfo.environment["ASSAY_DEBUG_OVERFLOW"]

    private static func trapForTests(_ source: String) {
        if let marker = trapMarker, !marker.isEmpty, source.contains(marker) {
            fatalError("ASSAY_DEBUG_TRAP: \(source)")
        }
        if let marker = overflowMarker, !marker.isEmpty, source.contains(marker) {
            _ = recurseForTests(0)
        }
    }

    @inline(never) private static func recurseForTests(_ depth: Int) -> Int {
        var frame = (depth, depth, depth, depth, depth, depth, depth, depth)
        return withUnsafeMutablePointer(to: &frame) { recurseForTests(depth + 1) + $0.pointee.7 }
    }
    #endif

    public static func errorLine(source: String, error: InputError) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("source", source)
        w.field("error", error.kind.rawValue)
        w.field("message", error.message)
        w.endObject()
        return w.bytes
    }
}
