/// Turns UTF-8 byte offsets into Unicode scalar offsets in O(1) per lookup after one pass:
/// a checkpoint every 64 bytes, then a count of lead bytes within the last stretch.
public struct ScalarIndex: Sendable {
    private let utf8: [UInt8]
    private var checkpoints: [Int32]  // scalars before byte i*64

    public init(_ utf8: [UInt8]) {
        self.utf8 = utf8
        var cps: [Int32] = [0]
        cps.reserveCapacity(utf8.count / 64 + 2)
        var scalars: Int32 = 0
        utf8.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var block = 0
            while block + 64 <= buf.count {
                // Continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear; counted eight at a time.
                var continuations = 0
                for word in 0..<8 {
                    let w = UnsafeRawPointer(base + block + word * 8).loadUnaligned(as: UInt64.self)
                    continuations += (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                }
                scalars += Int32(64 - continuations)
                cps.append(scalars)
                block += 64
            }
        }
        checkpoints = cps
    }

    public func scalarOffset(_ byteOffset: Int) -> Int {
        let o = min(max(byteOffset, 0), utf8.count)
        let block = o / 64
        var n = Int(checkpoints[block])
        utf8.withUnsafeBufferPointer { buf in
            var i = block * 64
            while i + 8 <= o {
                let w = UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)
                n += 8 - (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                i += 8
            }
            let rest = o - i  // 0-7 bytes: the low ones of one more word, when it is readable
            if rest > 0 && i + 8 <= buf.count {
                let w = UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)
                let low: UInt64 = (1 &<< UInt64(truncatingIfNeeded: rest &* 8)) &- 1
                n &+= rest &- (w & ~(w &<< 1) & 0x8080_8080_8080_8080 & low).nonzeroBitCount
            } else {
                while i < o {
                    if buf[i] & 0xC0 != 0x80 { n += 1 }
                    i += 1
                }
            }
        }
        return n
    }
}

/// Writes a document as one line of the annotation record (`assay.annotations/1`), keys in the
/// contract's order, arrays sorted by span start and ids numbered in that order.
public enum RecordWriter {
    public static let schema = "assay.annotations/1"

    /// The record's JSON without the trailing newline.
    public static func json(_ doc: Document) -> [UInt8] {
        let index = ScalarIndex(doc.textBytes)
        let entityOrder = order(doc.entities.map(\.span))
        let citationOrder = order(doc.citations.map(\.span))
        let referenceOrder = order(doc.references.map(\.span))
        // Ids are e1, c1, r1... in span order: a number per index, written without building Strings.
        let entityNumber = numbers(entityOrder)
        let citationNumber = numbers(citationOrder)
        let referenceNumber = numbers(referenceOrder)

        var w = JSONWriter(capacity: doc.textBytes.count * 2 + 4096)
        w.beginObject()
        w.field("schema", schema)

        w.key("document")
        w.beginObject()
        w.field("id", doc.id)
        w.field("source", doc.source)
        w.field("mediaType", doc.mediaType.rawValue)
        w.field("sha256", doc.sha256)
        w.optionalField("title", doc.title)
        w.field("textLength", index.scalarOffset(doc.textBytes.count))
        w.field("encoding", doc.encoding)
        w.endObject()

        w.key("text")
        w.string(utf8: doc.textBytes)

        w.key("sections")
        w.beginArray()
        for i in order(doc.sections.map(\.span)) {
            let s = doc.sections[i]
            w.beginObject()
            w.field("kind", s.kind.rawValue)
            span(&w, s.span, index)
            w.optionalField("label", s.label)
            w.endObject()
        }
        w.endArray()

        w.key("entities")
        w.beginArray()
        for i in entityOrder {
            let e = doc.entities[i]
            w.beginObject()
            w.key("id")
            w.id("e", entityNumber[i])
            w.field("type", e.type.rawValue)
            span(&w, e.span, index)
            w.key("text")
            w.string(utf8: doc.textBytes[e.span.range])
            w.optionalField("key", e.key)
            w.optionalField("label", e.label)
            if !e.attributes.isEmpty {
                for k in e.attributes.keys.sorted() {
                    w.key(string: k)
                    w.string(e.attributes[k]!)
                }
            }
            w.endObject()
        }
        w.endArray()

        w.key("citations")
        w.beginArray()
        for i in citationOrder {
            let c = doc.citations[i]
            w.beginObject()
            w.key("id")
            w.id("c", citationNumber[i])
            span(&w, c.span, index)
            w.key("text")
            w.string(utf8: doc.textBytes[c.span.range])
            w.field("style", c.style.rawValue)
            w.stringArray("authors", c.authors)
            w.field("etAl", c.etAl)
            w.field("year", c.year)
            w.optionalField("yearSuffix", c.yearSuffix)
            w.optionalField("locator", c.locator)
            idArray(&w, "references", "r", c.references.map { referenceNumber[$0] })
            if !c.defects.isEmpty { w.stringArray("defects", c.defects) }
            w.endObject()
        }
        w.endArray()

        w.key("references")
        w.beginArray()
        for i in referenceOrder {
            let r = doc.references[i]
            w.beginObject()
            w.key("id")
            w.id("r", referenceNumber[i])
            span(&w, r.span, index)
            w.key("text")
            w.string(utf8: doc.textBytes[r.span.range])
            w.key("authors")
            w.beginArray()
            for a in r.authors {
                w.beginObject()
                w.field("family", a.family)
                w.optionalField("given", a.given)
                w.endObject()
            }
            w.endArray()
            if r.editors { w.field("editors", true) }
            w.optionalField("year", r.year)
            w.optionalField("yearSuffix", r.yearSuffix)
            w.optionalField("title", r.title)
            w.optionalField("container", r.container)
            w.optionalField("volume", r.volume)
            w.optionalField("issue", r.issue)
            w.optionalField("pages", r.pages)
            w.optionalField("publisher", r.publisher)
            idArray(&w, "citedBy", "c", r.citedBy.map { citationNumber[$0] })
            w.endObject()
        }
        w.endArray()

        w.key("findings")
        w.beginArray()
        let findingOrder = orderFindings(doc)
        for (n, i) in findingOrder.enumerated() {
            let f = doc.findings[i]
            w.beginObject()
            w.key("id")
            w.id("f", n + 1)
            w.field("kind", f.kind.rawValue)
            w.field("severity", f.severity.rawValue)
            w.field("message", f.message)
            if !f.citations.isEmpty { idArray(&w, "citations", "c", f.citations.map { citationNumber[$0] }) }
            if !f.references.isEmpty { idArray(&w, "references", "r", f.references.map { referenceNumber[$0] }) }
            if !f.entities.isEmpty { idArray(&w, "entities", "e", f.entities.map { entityNumber[$0] }) }
            if let s = f.score {
                w.key("score")
                w.number(s)
            }
            w.endObject()
        }
        w.endArray()

        w.endObject()
        return w.bytes
    }

    private static func span(_ w: inout JSONWriter, _ s: Span, _ index: ScalarIndex) {
        w.field("start", index.scalarOffset(s.start))
        w.field("end", index.scalarOffset(s.end))
    }

    /// Indices sorted by span (stable for equal spans).
    static func order(_ spans: [Span]) -> [Int] {
        spans.indices.sorted { spans[$0] != spans[$1] ? spans[$0] < spans[$1] : $0 < $1 }
    }

    /// The id number (1-based rank in `order`) of each index.
    static func numbers(_ order: [Int]) -> [Int] {
        var out = [Int](repeating: 0, count: order.count)
        for (n, i) in order.enumerated() { out[i] = n + 1 }
        return out
    }

    /// An array of ids in ascending order, which is span order.
    private static func idArray(_ w: inout JSONWriter, _ key: StaticString, _ prefix: Unicode.Scalar, _ numbers: [Int]) {
        w.key(key)
        w.beginArray()
        for n in numbers.sorted() { w.id(prefix, n) }
        w.endArray()
    }

    /// Findings in the order of the first span they name, then kind, then message.
    public static func orderFindings(_ doc: Document) -> [Int] {
        func anchor(_ f: Finding) -> Int {
            var m = Int.max
            for c in f.citations { m = min(m, doc.citations[c].span.start) }
            for r in f.references { m = min(m, doc.references[r].span.start) }
            for e in f.entities { m = min(m, doc.entities[e].span.start) }
            return m
        }
        let anchors = doc.findings.map(anchor)
        return doc.findings.indices.sorted {
            let a = doc.findings[$0], b = doc.findings[$1]
            if anchors[$0] != anchors[$1] { return anchors[$0] < anchors[$1] }
            if a.kind.rawValue != b.kind.rawValue { return a.kind.rawValue < b.kind.rawValue }
            if a.message != b.message { return a.message < b.message }
            return $0 < $1
        }
    }
}
