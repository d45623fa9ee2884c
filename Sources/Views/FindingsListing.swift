// `assay check`'s view: one line per finding in the form editors and CI tools understand,
// `path:line:column: severity: message [kind]`, then a summary per kind.
import AssayCore
import Foundation

/// A line and column (both 1-based; the column counts Unicode scalars, as editors do).
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// Maps text byte offsets of a document to line and column in the input file, through the
/// document's source map and the decoded input it points into (`Ingest.decodedSource(bytes)`).
public struct SourceLocator: Sendable {
    let sourceMap: SourceMap
    let source: [UInt8]
    /// Byte offsets where each line of the decoded input starts.
    let lineStarts: [Int]

    public init(document: Document, decodedSource: [UInt8]) {
        sourceMap = document.sourceMap
        source = decodedSource
        var starts = [0]
        for (i, b) in decodedSource.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The position in the input file of the text byte `textOffset`. Same result as
    /// `lineAndColumn(in: decodedSource, at: sourceMap.sourceOffset(forTextOffset:))`, in O(log n + line).
    public func position(forTextOffset textOffset: Int) -> SourcePosition {
        let offset = min(max(sourceMap.sourceOffset(forTextOffset: textOffset), 0), source.count)
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < offset {
            if source[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourcePosition(line: lo + 1, column: column)
    }
}

/// The position of a record's findings: in the input file (with a SourceLocator) or in the text.
public struct LocatedFinding: Sendable, Equatable {
    public var documentID: String
    public var path: String
    public var finding: AnnotationRecord.FindingRecord
    /// The finding's first span, if it names any.
    public var span: SpanRef?
    public var position: SourcePosition?
}

public enum FindingsListing {
    /// Locates every finding of `record` in the input file: the first span's scalar offset is turned
    /// into a text byte offset, mapped through the document's source map into the decoded input.
    public static func locate(record: AnnotationRecord, document: Document, decodedSource: [UInt8]) -> [LocatedFinding] {
        let locator = SourceLocator(document: document, decodedSource: decodedSource)
        let bytes = ByteOffsets(document.textBytes)
        let index = record.spansByID
        return record.findings.map { f in
            let span = record.firstSpan(of: f, index: index)
            let position = span.map { locator.position(forTextOffset: bytes.byteOffset(forScalar: $0.start)) }
            return LocatedFinding(documentID: record.document.id, path: record.document.source, finding: f, span: span, position: position)
        }
    }

    /// Locates every finding of `record` in its normalized text (when the input is not at hand).
    public static func locateInText(record: AnnotationRecord) -> [LocatedFinding] {
        let text = ScalarText(record.text)
        let starts = text.lineStarts
        let index = record.spansByID
        return record.findings.map { f in
            let span = record.firstSpan(of: f, index: index)
            let position = span.map { s -> SourcePosition in
                let lc = text.lineAndColumn(at: s.start, lineStarts: starts)
                return SourcePosition(line: lc.line, column: lc.column)
            }
            return LocatedFinding(documentID: record.document.id, path: record.document.source, finding: f, span: span, position: position)
        }
    }

    public struct Style: Sendable {
        public var color: Bool
        public init(color: Bool) { self.color = color }

        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func severity(_ s: String) -> String {
            switch s {
            case "error": paint(s, "1;31")
            case "warning": paint(s, "1;33")
            default: paint(s, "1;36")
            }
        }
    }

    /// `path:line:column: severity: message [kind]` (or `path: severity: …` for a finding with no span).
    /// Line breaks and other control characters in the message become spaces: one finding, one line.
    public static func line(_ f: LocatedFinding, style: Style = Style(color: false)) -> String {
        var where_ = f.path
        if let p = f.position { where_ += ":\(p.line):\(p.column)" }
        let message = singleLine(f.finding.message)
        return style.paint(where_ + ":", "1") + " " + style.severity(f.finding.severity) + ": " + message + " "
            + style.paint("[\(f.finding.kind)]", "2")
    }

    static func singleLine(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F || u == "\u{2028}" || u == "\u{2029}" || u == "\u{85}" {
                out.append(" ")
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Counts per kind and severity, for the summary.
    public struct Summary: Sendable, Equatable {
        public var documents = 0
        public var documentsWithFindings = 0
        public var unreadable = 0
        public var bySeverity: [String: Int] = [:]
        /// kind -> (severity, count), in the order kinds were first seen.
        public var byKind: [(kind: String, severity: String, count: Int)] = []

        public init() {}

        public static func == (a: Summary, b: Summary) -> Bool {
            a.documents == b.documents && a.documentsWithFindings == b.documentsWithFindings && a.unreadable == b.unreadable
                && a.bySeverity == b.bySeverity && a.byKind.map { "\($0.kind)/\($0.severity)/\($0.count)" } == b.byKind.map { "\($0.kind)/\($0.severity)/\($0.count)" }
        }

        public mutating func add(_ record: AnnotationRecord) {
            documents += 1
            if !record.findings.isEmpty { documentsWithFindings += 1 }
            for f in record.findings {
                bySeverity[f.severity, default: 0] += 1
                if let i = byKind.firstIndex(where: { $0.kind == f.kind && $0.severity == f.severity }) {
                    byKind[i].count += 1
                } else {
                    byKind.append((f.kind, f.severity, 1))
                }
            }
        }

        public var total: Int { bySeverity.values.reduce(0, +) }

        /// The highest severity seen, if any finding was.
        public var highest: Severity? {
            Severity.allCases.reversed().first { (bySeverity[$0.rawValue] ?? 0) > 0 }
        }

        /// "2 errors, 5 warnings, 1 info in 3 of 5 documents", then one line per kind.
        public func lines(style: Style = Style(color: false)) -> [String] {
            func count(_ n: Int, _ word: String, plural: String? = nil) -> String {
                "\(n) \(n == 1 ? word : (plural ?? word + "s"))"
            }
            let e = bySeverity["error"] ?? 0, w = bySeverity["warning"] ?? 0, i = bySeverity["info"] ?? 0
            var head = [count(e, "error"), count(w, "warning"), count(i, "info", plural: "info")].joined(separator: ", ")
            head += " in \(documentsWithFindings) of \(count(documents, "document"))"
            if unreadable > 0 { head += "; \(count(unreadable, "input")) could not be read" }
            var out = [head]
            let rank: [String: Int] = ["error": 0, "warning": 1, "info": 2]
            let kinds = byKind.sorted {
                let ra = rank[$0.severity] ?? 3, rb = rank[$1.severity] ?? 3
                if ra != rb { return ra < rb }
                if $0.count != $1.count { return $0.count > $1.count }
                return $0.kind < $1.kind
            }
            let width = kinds.map(\.kind.count).max() ?? 0
            for k in kinds {
                let pad = String(repeating: " ", count: max(0, width - k.kind.count))
                out.append("  \(k.kind)\(pad)  \(style.severity(k.severity))\(String(repeating: " ", count: max(0, 7 - k.severity.count)))  \(k.count)")
            }
            return out
        }
    }

    /// One JSON object per finding (for `--format json`), keys in a fixed order.
    public static func json(_ f: LocatedFinding) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("path", f.path)
        if let p = f.position {
            w.field("line", p.line)
            w.field("column", p.column)
        }
        w.field("severity", f.finding.severity)
        w.field("kind", f.finding.kind)
        w.field("message", f.finding.message)
        w.field("document", f.documentID)
        w.field("finding", f.finding.id)
        if let s = f.span {
            w.key("span")
            w.beginObject()
            w.field("id", s.id)
            w.field("start", s.start)
            w.field("end", s.end)
            w.field("text", s.text)
            w.endObject()
        }
        if !f.finding.citations.isEmpty { w.stringArray("citations", f.finding.citations) }
        if !f.finding.references.isEmpty { w.stringArray("references", f.finding.references) }
        if !f.finding.entities.isEmpty { w.stringArray("entities", f.finding.entities) }
        if let s = f.finding.score {
            w.key("score")
            w.number(s)
        }
        w.endObject()
        return w.bytes
    }

    /// The summary as one JSON object.
    public static func json(_ s: Summary) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("documents", s.documents)
        w.field("documentsWithFindings", s.documentsWithFindings)
        w.field("unreadable", s.unreadable)
        w.key("severities")
        w.beginObject()
        for sev in ["error", "warning", "info"] {
            w.key(string: sev)
            w.int(s.bySeverity[sev] ?? 0)
        }
        w.endObject()
        w.key("kinds")
        w.beginArray()
        for k in s.byKind.sorted(by: { $0.kind != $1.kind ? $0.kind < $1.kind : $0.severity < $1.severity }) {
            w.beginObject()
            w.field("kind", k.kind)
            w.field("severity", k.severity)
            w.field("count", k.count)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}

/// Turns Unicode scalar offsets of a UTF-8 text into byte offsets (the inverse of ScalarIndex).
public struct ByteOffsets: Sendable {
    /// Byte offset of every 64th scalar.
    private let checkpoints: [Int]
    private let utf8: [UInt8]

    public init(_ utf8: [UInt8]) {
        self.utf8 = utf8
        var cps: [Int] = []
        cps.reserveCapacity(utf8.count / 64 + 1)
        var scalars = 0
        for (i, b) in utf8.enumerated() where b & 0xC0 != 0x80 {
            if scalars % 64 == 0 { cps.append(i) }
            scalars += 1
        }
        checkpoints = cps
    }

    public func byteOffset(forScalar scalar: Int) -> Int {
        guard scalar > 0, !checkpoints.isEmpty else { return 0 }
        let block = scalar / 64
        guard block < checkpoints.count else { return utf8.count }
        var i = checkpoints[block]
        var remaining = scalar - block * 64
        while remaining > 0 && i < utf8.count {
            i += 1
            while i < utf8.count && utf8[i] & 0xC0 == 0x80 { i += 1 }
            remaining -= 1
        }
        return i
    }
}
