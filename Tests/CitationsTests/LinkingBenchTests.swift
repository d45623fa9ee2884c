import AssayCore
import Foundation
import Testing
@testable import Citations

/// Linking F1 on the eLife development set (`/work/shared/bench/citation-linking-dev/gold.jsonl`):
/// each article's `text` becomes a Document (blocks are the paragraphs between blank lines; the
/// references section is found from its heading by `ReferenceSectionLocator`, not from the gold),
/// the stage runs, and its links are compared with the publisher's.
struct LinkingBench {
    struct Score {
        var tp = 0, predicted = 0, gold = 0
        var precision: Double { predicted == 0 ? 0 : Double(tp) / Double(predicted) }
        var recall: Double { gold == 0 ? 0 : Double(tp) / Double(gold) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        static func + (a: Score, b: Score) -> Score { Score(tp: a.tp + b.tp, predicted: a.predicted + b.predicted, gold: a.gold + b.gold) }
    }

    static let path = "/work/shared/bench/citation-linking-dev/gold.jsonl"

    /// Scalar offsets (Python string indices) to UTF-8 byte offsets.
    static func byteOffsets(_ text: String) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(text.unicodeScalars.count + 1)
        var b = 0
        for s in text.unicodeScalars {
            out.append(b)
            b += String(s).utf8.count
        }
        out.append(b)
        return out
    }

    static func document(_ text: String) -> Document {
        var d = Document(source: "bench", raw: [])
        d.textBytes = Array(text.utf8)
        var blocks: [Block] = []
        let t = d.textBytes
        var i = 0
        while i < t.count {
            while i < t.count, t[i] == 0x0A { i += 1 }
            guard i < t.count else { break }
            var j = i
            while j < t.count, !(t[j] == 0x0A && j + 1 < t.count && t[j + 1] == 0x0A) { j += 1 }
            var e = j
            while e > i, t[e - 1] == 0x0A || t[e - 1] == 0x20 { e -= 1 }
            let s = String(decoding: t[i..<e], as: UTF8.self)
            let kind: Block.Kind = ReferenceSectionLocator.isReferencesHeading(s) ? .heading : .paragraph
            blocks.append(Block(kind: kind, span: Span(i, e)))
            i = j
        }
        d.blocks = blocks
        if let sec = ReferenceSectionLocator.locate(in: d) { d.sections = [sec] }
        return d
    }

    struct Result {
        var links = Score()
        var citations = Score()
        var refFields = (firstAuthor: 0, year: 0, title: 0, container: 0, total: 0)
        var errors: [String] = []
        var fieldErrors: [String] = []
    }

    static func run() throws -> Result? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var result = Result()
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let obj = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            let text = obj["text"] as! String
            let docID = obj["doc_id"] as! String
            let map = byteOffsets(text)
            var d = document(text)
            try CitationsStage().process(&d)
            let goldRefs = obj["references"] as! [[String: Any]]
            let goldCits = obj["citations"] as! [[String: Any]]
            // our entries -> gold ids by overlap
            let gr: [(id: String, span: Span, r: [String: Any])] = goldRefs.map {
                ($0["id"] as! String, Span(map[$0["start"] as! Int], map[$0["end"] as! Int]), $0)
            }
            var refID: [Int: String] = [:]
            for (i, r) in d.references.enumerated() {
                var bestOverlap = 0
                for g in gr {
                    let o = min(r.span.end, g.span.end) - max(r.span.start, g.span.start)
                    if o > bestOverlap { bestOverlap = o; refID[i] = g.id }
                }
                if let id = refID[i], let g = gr.first(where: { $0.id == id })?.r {
                    result.refFields.total += 1
                    let authors = g["authors"] as! [[String: Any]]
                    let ga = authors.first?["surname"] as? String ?? (g["first_author"] as? String ?? "")
                    if Names.key(ga) == Names.key(r.authors.first?.family ?? "") { result.refFields.firstAuthor += 1 } else {
                        result.fieldErrors.append("\(docID) \(id) first author '\(ga)' got '\(r.authors.first?.family ?? "nil")'")
                    }
                    if (g["year"] as? String) == (r.year ?? "") + (r.yearSuffix ?? "") { result.refFields.year += 1 }
                    let gt = (g["title"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (g["source"] as? String ?? "")
                    if Names.key(gt) == Names.key(r.title ?? "") { result.refFields.title += 1 } else {
                        result.fieldErrors.append("\(docID) \(id) title '\(gt)' got '\(r.title ?? "nil")'")
                    }
                    if (g["title"] as? String ?? "").isEmpty || Names.key(g["source"] as? String ?? "") == Names.key(r.container ?? "") { result.refFields.container += 1 } else {
                        result.fieldErrors.append("\(docID) \(id) container '\(g["source"] as? String ?? "")' got '\(r.container ?? "nil")' in '\(d.string(r.span).prefix(300))'")
                    }
                }
            }
            // our citations -> gold citations by overlap
            let gc: [(span: Span, ids: [String], text: String)] = goldCits.map {
                (Span(map[$0["start"] as! Int], map[$0["end"] as! Int]), $0["ref_ids"] as! [String], $0["text"] as! String)
            }
            var goldPairs = Set<String>()
            for (gi, g) in gc.enumerated() { for id in g.ids { goldPairs.insert("\(gi)|\(id)") } }
            var usedGold = Set<Int>()
            var predPairs = Set<String>()
            var predCount = 0
            var matchedCits = 0
            for (ci, c) in d.citations.enumerated() {
                var match: Int?
                for (gi, g) in gc.enumerated() where !usedGold.contains(gi) && g.span.overlaps(c.span) { match = gi; break }
                if let m = match { usedGold.insert(m); matchedCits += 1 }
                for r in c.references {
                    predCount += 1
                    if let m = match, let id = refID[r] { predPairs.insert("\(m)|\(id)") } else { predPairs.insert("fp\(ci)|\(r)") }
                }
                if match == nil { result.errors.append("\(docID) extra citation '\(d.string(c.span))' -> \(c.references.map { refID[$0] ?? "?" })") }
            }
            let tp = predPairs.intersection(goldPairs).count
            result.links = result.links + Score(tp: tp, predicted: predCount, gold: goldPairs.count)
            result.citations = result.citations + Score(tp: matchedCits, predicted: d.citations.count, gold: gc.count)
            for (gi, g) in gc.enumerated() {
                let got = d.citations.firstIndex { $0.span.overlaps(g.span) }
                let ids = got.map { d.citations[$0].references.map { refID[$0] ?? "?" } } ?? []
                if Set(ids) != Set(g.ids) {
                    result.errors.append("\(docID) gold '\(g.text)' -> \(g.ids); got \(got.map { "'\(d.string(d.citations[$0].span))'" } ?? "nothing") -> \(ids)")
                }
                _ = gi
            }
        }
        return result
    }
}

@Test func eLifeLinkingF1() throws {
    guard let r = try LinkingBench.run() else {
        print("eLife bench not found at \(LinkingBench.path); skipped")
        return
    }
    for e in r.errors { print("  ", e) }
    for e in r.fieldErrors.prefix(40) { print("   field:", e) }
    let l = r.links
    let c = r.citations
    print(String(format: "eLife linking: P %.3f  R %.3f  F1 %.3f  (%d of %d predicted links right, %d gold links)", l.precision, l.recall, l.f1, l.tp, l.predicted, l.gold))
    print(String(format: "eLife citation spans: P %.3f  R %.3f  F1 %.3f", c.precision, c.recall, c.f1))
    let f = r.refFields
    print("eLife references parsed: \(f.total); first author right \(f.firstAuthor), year \(f.year), title \(f.title), container \(f.container)")
    #expect(l.f1 >= 0.95)
}
