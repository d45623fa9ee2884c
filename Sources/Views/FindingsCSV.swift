// CSV of findings for spreadsheets (RFC 4180: comma separated, CRLF line ends, fields with a comma,
// quote or line break in double quotes, quotes doubled; UTF-8 without BOM).
//
// Columns: document_id, source, finding_id, kind, severity, message, text_line, text_column,
// span_text, citations, references, entities, score.
//   text_line / text_column: where the finding's first span starts in the record's normalized text
//   (1-based; the column counts code points). The record has no source map, so these are positions
//   in the text `assay text FILE` prints, not in the input file (`assay check` gives those).
//   citations / references / entities: the ids the finding names, separated by spaces.
//   span_text: the text of the first span.
// A cell that would start with = + - @ (a formula to a spreadsheet) and is not a number is written
// with a leading apostrophe, so opening a hostile document's findings runs nothing.
import AssayCore
import Foundation

public struct FindingsCSV {
    public static let columns = ["document_id", "source", "finding_id", "kind", "severity", "message", "text_line",
                                 "text_column", "span_text", "citations", "references", "entities", "score"]

    private let write: ([UInt8]) throws -> Void
    public private(set) var rows = 0

    public init(write: @escaping ([UInt8]) throws -> Void) throws {
        self.write = write
        try write(Array((Self.columns.map { Self.field($0) }.joined(separator: ",") + "\r\n").utf8))
    }

    public mutating func add(_ record: AnnotationRecord) throws {
        var out = ""
        for f in FindingsListing.locateInText(record: record) {
            let row: [String] = [
                record.document.id, record.document.source, f.finding.id, f.finding.kind, f.finding.severity,
                f.finding.message, f.position.map { String($0.line) } ?? "", f.position.map { String($0.column) } ?? "",
                f.span?.text ?? "", f.finding.citations.joined(separator: " "), f.finding.references.joined(separator: " "),
                f.finding.entities.joined(separator: " "), f.finding.score.map(JSONWriter.format) ?? "",
            ]
            out += row.map { Self.field($0) }.joined(separator: ",") + "\r\n"
            rows += 1
        }
        if !out.isEmpty { try write(Array(out.utf8)) }
    }

    public func finish() throws {}

    /// One RFC 4180 field, guarded against spreadsheet formulas.
    public static func field(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Double(v) == nil {
            v = "'" + v
        } else if let first = v.unicodeScalars.first, first == "\t" || first == "\r" {
            v = "'" + v
        }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
