// The annotation record (`assay.annotations/1`) as every view reads it: decoded from one line of
// `annotations.jsonl`, so each export works from the JSON Lines file alone. Decoding is tolerant:
// fields added to the contract later are ignored (or, for entities, kept as attributes).
import AssayCore
import Foundation

/// One document's record: the contract in `annotations.md` (`assay.annotations/1`).
public struct AnnotationRecord: Decodable, Sendable, Equatable {
    public var schema: String
    public var document: DocumentInfo
    /// The normalized text every offset points into (offsets are Unicode scalar offsets).
    public var text: String
    public var sections: [SectionRecord]
    public var entities: [EntityRecord]
    public var citations: [CitationRecord]
    public var references: [ReferenceRecord]
    public var findings: [FindingRecord]

    public struct DocumentInfo: Decodable, Sendable, Equatable {
        public var id: String
        public var source: String
        public var mediaType: String
        public var sha256: String
        public var title: String?
        public var textLength: Int
        /// Written by RecordWriter beside the contract's fields ("UTF-8", "windows-1252", ...).
        public var encoding: String?
    }

    public struct SectionRecord: Decodable, Sendable, Equatable {
        public var kind: String
        public var start: Int
        public var end: Int
        public var label: String?
    }

    public struct EntityRecord: Decodable, Sendable, Equatable {
        public var id: String
        public var type: String
        public var start: Int
        public var end: Int
        public var text: String
        public var key: String?
        public var label: String?
        /// Every other string-valued field (`instrument`, `acronym`, `definedBy`, `value`, ...).
        public var attributes: [String: String]

        public init(id: String, type: String, start: Int, end: Int, text: String, key: String? = nil,
                    label: String? = nil, attributes: [String: String] = [:]) {
            self.id = id
            self.type = type
            self.start = start
            self.end = end
            self.text = text
            self.key = key
            self.label = label
            self.attributes = attributes
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            id = try c.decode(String.self, forKey: AnyKey("id"))
            type = try c.decode(String.self, forKey: AnyKey("type"))
            start = try c.decode(Int.self, forKey: AnyKey("start"))
            end = try c.decode(Int.self, forKey: AnyKey("end"))
            text = try c.decode(String.self, forKey: AnyKey("text"))
            key = try c.decodeIfPresent(String.self, forKey: AnyKey("key"))
            label = try c.decodeIfPresent(String.self, forKey: AnyKey("label"))
            var extra: [String: String] = [:]
            let known: Set<String> = ["id", "type", "start", "end", "text", "key", "label"]
            for k in c.allKeys where !known.contains(k.stringValue) {
                if let s = try? c.decode(String.self, forKey: k) { extra[k.stringValue] = s }
            }
            attributes = extra
        }
    }

    public struct CitationRecord: Decodable, Sendable, Equatable {
        public var id: String
        public var start: Int
        public var end: Int
        public var text: String
        public var style: String
        public var authors: [String]
        public var etAl: Bool?
        public var year: String
        public var yearSuffix: String?
        public var locator: String?
        /// Ids of the reference entries the citation resolves to (none: orphaned, several: ambiguous).
        public var references: [String]
        public var defects: [String]?
    }

    public struct PersonNameRecord: Decodable, Sendable, Equatable {
        public var family: String
        public var given: String?

        /// "Family, Given" or "Family".
        public var display: String { given.map { "\(family), \($0)" } ?? family }
    }

    public struct ReferenceRecord: Decodable, Sendable, Equatable {
        public var id: String
        public var start: Int
        public var end: Int
        public var text: String
        public var authors: [PersonNameRecord]
        public var editors: Bool?
        public var year: String?
        public var yearSuffix: String?
        public var title: String?
        public var container: String?
        public var volume: String?
        public var issue: String?
        public var pages: String?
        public var publisher: String?
        public var citedBy: [String]
    }

    public struct FindingRecord: Decodable, Sendable, Equatable {
        public var id: String
        public var kind: String
        public var severity: String
        public var message: String
        public var citations: [String]
        public var references: [String]
        public var entities: [String]
        public var score: Double?

        enum CodingKeys: String, CodingKey {
            case id, kind, severity, message, citations, references, entities, score
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            kind = try c.decode(String.self, forKey: .kind)
            severity = try c.decode(String.self, forKey: .severity)
            message = try c.decode(String.self, forKey: .message)
            citations = try c.decodeIfPresent([String].self, forKey: .citations) ?? []
            references = try c.decodeIfPresent([String].self, forKey: .references) ?? []
            entities = try c.decodeIfPresent([String].self, forKey: .entities) ?? []
            score = try c.decodeIfPresent(Double.self, forKey: .score)
        }

        /// The severity as a value (unknown strings count as `info`).
        public var level: Severity { Severity(rawValue: severity) ?? .info }
    }

    /// Decodes one line of `annotations.jsonl`.
    public static func decode(_ line: some Collection<UInt8>) throws -> AnnotationRecord {
        try JSONDecoder().decode(AnnotationRecord.self, from: Data(line))
    }

    /// The record of a document, exactly as `RecordWriter` writes it (ids, order and all).
    public init(_ document: Document) throws {
        self = try AnnotationRecord.decode(RecordWriter.json(document))
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A span of the record named by its kind and id.
public struct SpanRef: Sendable, Hashable {
    public enum Kind: String, Sendable { case entity, citation, reference }
    public var kind: Kind
    public var id: String
    public var start: Int
    public var end: Int
    public var text: String
}

extension AnnotationRecord {
    /// Every entity, citation and reference by id.
    public var spansByID: [String: SpanRef] {
        var out: [String: SpanRef] = [:]
        for e in entities { out[e.id] = SpanRef(kind: .entity, id: e.id, start: e.start, end: e.end, text: e.text) }
        for c in citations { out[c.id] = SpanRef(kind: .citation, id: c.id, start: c.start, end: c.end, text: c.text) }
        for r in references { out[r.id] = SpanRef(kind: .reference, id: r.id, start: r.start, end: r.end, text: r.text) }
        return out
    }

    /// The spans a finding names, citations first, then references, then entities (as the record lists them).
    public func spans(of finding: FindingRecord, index: [String: SpanRef]? = nil) -> [SpanRef] {
        let index = index ?? spansByID
        return (finding.citations + finding.references + finding.entities).compactMap { index[$0] }
    }

    /// The finding's first span: the one that starts earliest in the text (ties: the shortest).
    public func firstSpan(of finding: FindingRecord, index: [String: SpanRef]? = nil) -> SpanRef? {
        spans(of: finding, index: index).min { a, b in a.start != b.start ? a.start < b.start : a.end < b.end }
    }
}

/// Reads `annotations.jsonl` one record at a time (memory bounded by the largest record).
public struct RecordReader {
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var line: Int
        public var message: String
        public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    }

    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    /// Calls `body` with each record in file order; blank lines are skipped.
    public func forEach(_ body: (AnnotationRecord) throws -> Void) throws {
        guard let file = fopen(path, "rb") else {
            throw ReadError(path: path, line: 0, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var lineNumber = 0
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(buffer) }
        let decoder = JSONDecoder()
        while true {
            let n = getline(&buffer, &capacity, file)
            if n < 0 { break }
            lineNumber += 1
            guard let buffer else { continue }
            let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
            if bytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }) { continue }
            let record: AnnotationRecord
            do {
                record = try decoder.decode(AnnotationRecord.self, from: Data(bytes))
            } catch {
                throw ReadError(path: path, line: lineNumber, message: "not an annotation record: \(Self.describe(error))")
            }
            if !record.schema.hasPrefix("assay.annotations/") {
                throw ReadError(path: path, line: lineNumber, message: "unknown schema '\(record.schema)'")
            }
            try body(record)
        }
        if ferror(file) != 0 {
            throw ReadError(path: path, line: lineNumber, message: "read failed")
        }
    }

    /// Every record of the file.
    public func readAll() throws -> [AnnotationRecord] {
        var out: [AnnotationRecord] = []
        try forEach { out.append($0) }
        return out
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing '\(key.stringValue)'" + path(ctx)
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return ctx.debugDescription + path(ctx)
        case DecodingError.dataCorrupted(let ctx):
            return "invalid JSON" + path(ctx)
        default:
            return "\(error)"
        }
    }

    private static func path(_ ctx: DecodingError.Context) -> String {
        let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return p.isEmpty ? "" : " at \(p)"
    }
}

/// A record's text indexed by Unicode scalar, so spans (scalar offsets) slice in O(1).
public struct ScalarText: Sendable {
    public let scalars: [Unicode.Scalar]

    public init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    public var count: Int { scalars.count }

    /// Clamps a span to the text (a record from another tool may be off; views never trap).
    public func clamp(_ start: Int, _ end: Int) -> (Int, Int) {
        let s = min(max(start, 0), scalars.count)
        let e = min(max(end, s), scalars.count)
        return (s, e)
    }

    public func slice(_ start: Int, _ end: Int) -> String {
        let (s, e) = clamp(start, end)
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[s..<e])
        return String(v)
    }

    /// Line and column (1-based, column in scalars) of a scalar offset in this text.
    public func lineAndColumn(at offset: Int, lineStarts: [Int]) -> (line: Int, column: Int) {
        let o = min(max(offset, 0), scalars.count)
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, o - lineStarts[lo] + 1)
    }

    /// Scalar offsets where each line starts (after every "\n").
    public var lineStarts: [Int] {
        var out = [0]
        for (i, s) in scalars.enumerated() where s == "\n" { out.append(i + 1) }
        return out
    }
}
