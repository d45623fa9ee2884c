import CByteScan

/// Turns UTF-8 byte offsets into Unicode scalar offsets in O(1) per lookup after one pass: for
/// each 64-byte block, the scalars before it and a mask of its continuation bytes, so a lookup is
/// one population count whatever order the offsets come in.
public struct ScalarIndex: Sendable {
    private let byteCount: Int
    private let scalarsBefore: [UInt32]
    private let continuations: [UInt64]

    public init(_ utf8: [UInt8]) {
        byteCount = utf8.count
        let blocks = utf8.count / 64 + 1
        // The C routine writes every block of both arrays: they are not zeroed first.
        var masks: [UInt64] = []
        scalarsBefore = [UInt32](unsafeUninitializedCapacity: blocks) { before, initialized in
            masks = [UInt64](unsafeUninitializedCapacity: blocks) { masks, initializedMasks in
                utf8.withUnsafeBufferPointer { text in
                    assay_utf8_scalar_blocks(text.baseAddress, text.count, masks.baseAddress, before.baseAddress)
                }
                initializedMasks = blocks
            }
            initialized = blocks
        }
        continuations = masks
    }

    /// Scalars that start before `byteOffset` (clamped to the text).
    @inline(__always) public func scalarOffset(_ byteOffset: Int) -> Int {
        let o = min(max(byteOffset, 0), byteCount)
        let block = o &>> 6, within = o & 63
        let before: UInt64 = (1 &<< UInt64(within)) &- 1
        return Int(scalarsBefore[block]) &+ within &- (continuations[block] & before).nonzeroBitCount
    }
}

/// Writes a document as one line of the annotation record (`assay.annotations/1`), keys in the
/// contract's order, arrays sorted by span start and ids numbered in that order.
public enum RecordWriter {
    public static let schema = "assay.annotations/1"

    /// The record's JSON without the trailing newline.
    public static func json(_ doc: Document) -> [UInt8] {
        // Written straight into the array returned when the size estimate holds (it has room to
        // spare on the corpora); when it does not, the writer moves on and its bytes are copied.
        var spilled: [UInt8]?
        let line = [UInt8](unsafeUninitializedCapacity: estimatedSize(doc)) { buffer, initialized in
            var w = JSONWriter(into: buffer)
            doc.textBytes.withUnsafeBufferPointer { text in write(doc, text, &w) }
            if w.isInLentBuffer { initialized = w.count } else { spilled = w.bytes }
        }
        return spilled ?? line
    }

    /// The record into `w`; `text` is the document's text, whose spans are written from it.
    static func write(_ doc: Document, _ text: UnsafeBufferPointer<UInt8>, _ w: inout JSONWriter) {
        let index = ScalarIndex(doc.textBytes)
        let entityOrder = order(spans(doc.entities, \Entity.span))
        let citationOrder = order(spans(doc.citations, \Citation.span))
        let referenceOrder = order(spans(doc.references, \Reference.span))
        // Ids are e1, c1, r1... in span order: a number per index, written without building Strings.
        let entityNumber = numbers(entityOrder)
        let citationNumber = numbers(citationOrder)
        let referenceNumber = numbers(referenceOrder)

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
        w.string(utf8: text)

        w.key("sections")
        w.beginArray()
        doc.sections.withUnsafeBufferPointer { sections in
            for i in order(spans(doc.sections, \Section.span)) {
                let s = sections.baseAddress.unsafelyUnwrapped + i
                w.beginObject()
                w.field("kind", plain: name(s.pointee.kind))
                span(&w, s.pointee.span, index)
                w.optionalField("label", s.pointee.label)
                w.endObject()
            }
        }
        w.endArray()

        w.key("entities")
        w.beginArray()
        // Items are read in place through a pointer: `doc.entities[i]` copies an item out, which
        // retains each of its Strings and arrays (atomic operations) and releases them after.
        let keyOffset = MemoryLayout<Entity>.offset(of: \Entity.key)!
        let labelOffset = MemoryLayout<Entity>.offset(of: \Entity.label)!
        let attributesOffset = MemoryLayout<Entity>.offset(of: \Entity.attributes)!
        doc.entities.withUnsafeBufferPointer { entities in
            for i in entityOrder {
                let e = entities.baseAddress.unsafelyUnwrapped + i
                w.beginObject(id: "e", entityNumber[i])
                w.field("type", plain: name(e.pointee.type))
                span(&w, e.pointee.span, index)
                spanText(&w, text, e.pointee.span)
                // Keys, labels and attribute values come again with each mention of an entity.
                w.optionalField("key", repeatedAt: field(e, keyOffset))
                w.optionalField("label", repeatedAt: field(e, labelOffset))
                // Mentions of one date or one defined name share a dictionary (`DocAnalysis.emit`):
                // its fields are written once a record, found again by its storage's address.
                let attributes: UnsafePointer<[String: String]> = field(e, attributesOffset)
                if !attributes.pointee.isEmpty {
                    w.fields(repeatedAs: UnsafeRawPointer(attributes).load(as: UInt.self)) { w in
                        attributeFields(&w, attributes.pointee)
                    }
                }
                w.endObject()
            }
        }
        w.endArray()

        w.key("citations")
        w.beginArray()
        let citationAuthorsOffset = MemoryLayout<Citation>.offset(of: \Citation.authors)!
        let citationReferencesOffset = MemoryLayout<Citation>.offset(of: \Citation.references)!
        doc.citations.withUnsafeBufferPointer { citations in
            for i in citationOrder {
                let c = citations.baseAddress.unsafelyUnwrapped + i
                w.beginObject(id: "c", citationNumber[i])
                span(&w, c.pointee.span, index)
                spanText(&w, text, c.pointee.span)
                w.field("style", plain: name(c.pointee.style))
                w.key("authors")
                w.beginArray()
                let authors: UnsafeBufferPointer<String> = items(field(c, citationAuthorsOffset))
                // (names cited again and again)
                for k in authors.indices { w.string(repeatedAt: authors.baseAddress.unsafelyUnwrapped + k) }
                w.endArray()
                w.field("etAl", c.pointee.etAl)
                w.field("year", c.pointee.year)
                w.optionalField("yearSuffix", c.pointee.yearSuffix)
                w.optionalField("locator", c.pointee.locator)
                idArray(&w, "references", "r", items(field(c, citationReferencesOffset)), referenceNumber)
                if !c.pointee.defects.isEmpty { w.stringArray("defects", c.pointee.defects) }
                w.endObject()
            }
        }
        w.endArray()

        w.key("references")
        w.beginArray()
        let familyOffset = MemoryLayout<PersonName>.offset(of: \PersonName.family)!
        let givenOffset = MemoryLayout<PersonName>.offset(of: \PersonName.given)!
        let referenceAuthorsOffset = MemoryLayout<Reference>.offset(of: \Reference.authors)!
        let citedByOffset = MemoryLayout<Reference>.offset(of: \Reference.citedBy)!
        doc.references.withUnsafeBufferPointer { references in
            for i in referenceOrder {
                let r = references.baseAddress.unsafelyUnwrapped + i
                w.beginObject(id: "r", referenceNumber[i])
                span(&w, r.pointee.span, index)
                spanText(&w, text, r.pointee.span)
                w.key("authors")
                w.beginArray()
                let authors: UnsafeBufferPointer<PersonName> = items(field(r, referenceAuthorsOffset))
                for k in authors.indices {
                    let a = authors.baseAddress.unsafelyUnwrapped + k
                    w.beginObject()
                    w.key("family")
                    w.string(repeatedAt: field(a, familyOffset))
                    w.optionalField("given", repeatedAt: field(a, givenOffset))
                    w.endObject()
                }
                w.endArray()
                if r.pointee.editors { w.field("editors", true) }
                w.optionalField("year", r.pointee.year)
                w.optionalField("yearSuffix", r.pointee.yearSuffix)
                w.optionalField("title", r.pointee.title)
                w.optionalField("container", r.pointee.container)
                w.optionalField("volume", r.pointee.volume)
                w.optionalField("issue", r.pointee.issue)
                w.optionalField("pages", r.pointee.pages)
                w.optionalField("publisher", r.pointee.publisher)
                idArray(&w, "citedBy", "c", items(field(r, citedByOffset)), citationNumber)
                w.endObject()
            }
        }
        w.endArray()

        w.key("findings")
        w.beginArray()
        let findingOrder = orderFindings(doc)
        let findingCitationsOffset = MemoryLayout<Finding>.offset(of: \Finding.citations)!
        let findingReferencesOffset = MemoryLayout<Finding>.offset(of: \Finding.references)!
        let findingEntitiesOffset = MemoryLayout<Finding>.offset(of: \Finding.entities)!
        doc.findings.withUnsafeBufferPointer { findings in
            for (n, i) in findingOrder.enumerated() {
                let f = findings.baseAddress.unsafelyUnwrapped + i
                w.beginObject(id: "f", n + 1)
                w.field("kind", plain: name(f.pointee.kind))
                w.field("severity", plain: name(f.pointee.severity))
                w.field("message", f.pointee.message)
                let citations: UnsafeBufferPointer<Int> = items(field(f, findingCitationsOffset))
                if !citations.isEmpty { idArray(&w, "citations", "c", citations, citationNumber) }
                let references: UnsafeBufferPointer<Int> = items(field(f, findingReferencesOffset))
                if !references.isEmpty { idArray(&w, "references", "r", references, referenceNumber) }
                let entities: UnsafeBufferPointer<Int> = items(field(f, findingEntitiesOffset))
                if !entities.isEmpty { idArray(&w, "entities", "e", entities, entityNumber) }
                if let s = f.pointee.score {
                    w.key("score")
                    w.number(s)
                }
                w.endObject()
            }
        }
        w.endArray()

        w.endObject()
    }

    // The raw values of the enums written for every item, as constants (the tests hold them to
    // `rawValue`): a String per value would be reached, retained and escaped each time.
    static func name(_ type: Entity.Kind) -> StaticString {
        switch type {
        case .treaty: "treaty"
        case .law: "law"
        case .provision: "provision"
        case .organization: "organization"
        case .mechanism: "mechanism"
        case .person: "person"
        case .place: "place"
        case .date: "date"
        }
    }

    static func name(_ kind: Section.Kind) -> StaticString {
        switch kind {
        case .title: "title"
        case .frontMatter: "front-matter"
        case .abstract: "abstract"
        case .keywords: "keywords"
        case .heading: "heading"
        case .body: "body"
        case .table: "table"
        case .references: "references"
        }
    }

    static func name(_ kind: Finding.Kind) -> StaticString {
        switch kind {
        case .orphanCitation: "orphan-citation"
        case .uncitedReference: "uncited-reference"
        case .ambiguousCitation: "ambiguous-citation"
        case .yearMismatch: "year-mismatch"
        case .nameMismatch: "name-mismatch"
        case .givenNameAsSurname: "given-name-as-surname"
        case .duplicateReference: "duplicate-reference"
        case .malformedCitation: "malformed-citation"
        case .topicMismatch: "topic-mismatch"
        case .citationConcentration: "citation-concentration"
        case .factMismatch: "fact-mismatch"
        case .undefinedAcronym: "undefined-acronym"
        }
    }

    static func name(_ severity: Severity) -> StaticString {
        switch severity {
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    static func name(_ style: Citation.Style) -> StaticString {
        switch style {
        case .parenthetical: "parenthetical"
        case .narrative: "narrative"
        }
    }

    /// An entity's attributes, sorted by name; most entities that have attributes have one, which
    /// needs no sort.
    private static func attributeFields(_ w: inout JSONWriter, _ attributes: [String: String]) {
        if attributes.count == 1, let (k, v) = attributes.first {
            w.key(string: k)
            w.string(repeated: v)
        } else {
            for (k, v) in attributes.sorted(by: { $0.key < $1.key }) {
                w.key(string: k)
                w.string(repeated: v)
            }
        }
    }

    /// The field at `offset` in the item at `item`, read in place (see `JSONWriter.string(repeatedAt:)`).
    @inline(__always) private static func field<Item, Value>(_ item: UnsafePointer<Item>, _ offset: Int) -> UnsafePointer<Value> {
        (UnsafeRawPointer(item) + offset).assumingMemoryBound(to: Value.self)
    }

    /// The items of the array at `item` (a field of the document), read where they lie: the
    /// document keeps the array alive and unchanged while it is written, so its buffer stays put
    /// (work done inside `withUnsafeBufferPointer` on `pointee` retains and releases the array).
    @inline(__always) private static func items<Element>(_ array: UnsafePointer<[Element]>) -> UnsafeBufferPointer<Element> {
        array.pointee.withUnsafeBufferPointer { $0 }
    }

    @inline(__always) private static func span(_ w: inout JSONWriter, _ s: Span, _ index: ScalarIndex) {
        w.spanFields(start: index.scalarOffset(s.start), end: index.scalarOffset(s.end))
    }

    /// The text a span covers, straight from the document's bytes (no array slice to retain).
    @inline(__always) private static func spanText(_ w: inout JSONWriter, _ text: UnsafeBufferPointer<UInt8>, _ s: Span) {
        w.key("text")
        // (`s.range` is a call into the model's file for each span.)
        w.string(utf8: UnsafeBufferPointer(rebasing: text[s.start..<s.end]))
    }

    /// Each item's span, read in place (`field`) into an array made at full size: `map(\.span)`
    /// checks the new array's uniqueness and capacity at each append.
    static func spans<Item>(_ items: [Item], _ span: KeyPath<Item, Span>) -> [Span] {
        let offset = MemoryLayout<Item>.offset(of: span)!
        return items.withUnsafeBufferPointer { items in
            [Span](unsafeUninitializedCapacity: items.count) { out, initialized in
                for i in items.indices {
                    let s: UnsafePointer<Span> = field(items.baseAddress.unsafelyUnwrapped + i, offset)
                    out.initializeElement(at: i, to: s.pointee)
                }
                initialized = items.count
            }
        }
    }

    /// Indices sorted by span (stable for equal spans).
    static func order(_ spans: [Span]) -> [Int] {
        // The stages mostly add items in text order: then the order is found in one pass.
        if zip(spans, spans.dropFirst()).allSatisfy({ $0 <= $1 }) { return Array(spans.indices) }
        return spans.indices.sorted { spans[$0] != spans[$1] ? spans[$0] < spans[$1] : $0 < $1 }
    }

    /// The id number (1-based rank in `order`) of each index.
    static func numbers(_ order: [Int]) -> [Int] {
        var out = [Int](repeating: 0, count: order.count)
        for (n, i) in order.enumerated() { out[i] = n + 1 }
        return out
    }

    /// The ids of `indices` in ascending order, which is span order.
    private static func idArray(_ w: inout JSONWriter, _ key: StaticString, _ prefix: Unicode.Scalar,
                                _ indices: UnsafeBufferPointer<Int>, _ number: [Int]) {
        w.key(key)
        w.beginArray()
        // Most lists hold one id, or ids in span order already: then no array is built and sorted.
        var inOrder = true
        for k in indices.indices.dropFirst() where number[indices[k - 1]] > number[indices[k]] {
            inOrder = false
            break
        }
        if inOrder {
            for i in indices { w.id(prefix, number[i]) }
        } else {
            for n in indices.map({ number[$0] }).sorted() { w.id(prefix, n) }
        }
        w.endArray()
    }

    /// Room for the whole record (the array it is written into): the text, the text of each span
    /// again, and a generous allowance for each item's other fields. About 1.35 times the record
    /// on the benchmark corpora, never short of it there.
    static func estimatedSize(_ doc: Document) -> Int {
        var spanned = 0
        for e in doc.entities { spanned += e.span.length }
        for c in doc.citations { spanned += c.span.length }
        for r in doc.references { spanned += r.span.length }
        return doc.textBytes.count + spanned + 4096 + 64 * doc.sections.count + 192 * doc.entities.count
            + 384 * doc.citations.count + 768 * doc.references.count + 384 * doc.findings.count
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
