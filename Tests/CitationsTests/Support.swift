import AssayCore
import Foundation
import Ingest
@testable import Citations

/// Test documents and helpers.
enum TestDocs {
    static let packageRoot: URL = {
        var u = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { u.deleteLastPathComponent() }
        return u
    }()

    static func seed(_ prefix: String) throws -> Document {
        let dir = packageRoot.appendingPathComponent("corpus/seeds")
        let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().first { $0.hasPrefix(prefix) }!
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
        return try ingestDocument(source: "corpus/seeds/\(name)", bytes: bytes)
    }

    static func ingest(_ text: String, source: String = "t.txt") throws -> Document {
        try ingestDocument(source: source, bytes: Array(text.utf8))
    }

    /// A document built by hand, without ingest: blocks are the paragraphs between blank lines
    /// (lines starting `- ` are list items of their own), `*x*` marks emphasis (the stars are
    /// removed), and the references section runs from a `References` heading to the end.
    static func make(_ raw: String) -> Document {
        var text: [UInt8] = []
        var emphasis: [Span] = []
        var blocks: [Block] = []
        var emphasisOpen: Int?
        let paragraphs = raw.components(separatedBy: "\n\n")
        for (pi, para) in paragraphs.enumerated() {
            let lines = para.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            var items: [(String, Block.Kind)] = []
            var current = ""
            for l in lines {
                if l.hasPrefix("- ") {
                    if !current.isEmpty { items.append((current, .paragraph)); current = "" }
                    items.append((String(l.dropFirst(2)), .listItem))
                } else {
                    current += current.isEmpty ? l : "\n" + l
                }
            }
            if !current.isEmpty { items.append((current, .paragraph)) }
            for (ii, (s, kind)) in items.enumerated() {
                if !text.isEmpty { text += ii == 0 && pi > 0 ? [0x0A, 0x0A] : [0x0A] }
                let start = text.count
                for b in s.utf8 {
                    if b == UInt8(ascii: "*") {
                        if let o = emphasisOpen { emphasis.append(Span(o, text.count)); emphasisOpen = nil } else { emphasisOpen = text.count }
                    } else {
                        text.append(b)
                    }
                }
                var k = kind
                if kind == .paragraph, ReferenceSectionLocator.isReferencesHeading(s) { k = .heading }
                blocks.append(Block(kind: k, span: Span(start, text.count)))
            }
        }
        var d = Document(source: "t", raw: [])
        d.textBytes = text
        d.blocks = blocks
        d.emphasis = emphasis
        if let sec = ReferenceSectionLocator.locate(in: d) { d.sections = [sec] }
        return d
    }

    static func run(_ d: Document) throws -> Document {
        var d = d
        try CitationsStage().process(&d)
        return d
    }

    static func texts(_ d: Document) -> [String] {
        d.citations.map { clean(d.string($0.span)) }
    }

    static func clean(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    static func dump(_ d: Document) -> String {
        var out = ""
        for (i, r) in d.references.enumerated() {
            out += "R\(i) [\(r.authors.map { "\($0.family)|\($0.given ?? "-")" }.joined(separator: "; "))] ed=\(r.editors) y=\(r.year ?? "nil")\(r.yearSuffix ?? "") t=\(r.title ?? "nil") c=\(r.container ?? "nil") v=\(r.volume ?? "-") i=\(r.issue ?? "-") p=\(r.pages ?? "-") pub=\(r.publisher ?? "-") citedBy=\(r.citedBy)\n"
        }
        for (i, c) in d.citations.enumerated() {
            out += "C\(i) '\(clean(d.string(c.span)))' \(c.style) \(c.authors) etAl=\(c.etAl) \(c.year)\(c.yearSuffix ?? "") loc=\(c.locator ?? "-") -> \(c.references) defects=\(c.defects)\n"
        }
        for f in d.findings {
            out += "F \(f.kind.rawValue) c=\(f.citations) r=\(f.references): \(f.message)\n"
        }
        return out
    }
}
