// W3C Web Annotation Data Model (JSON-LD) export.
//
// Layout: ONE JSON file holding a JSON array with one `AnnotationCollection` per document, in record
// order. Each collection embeds its single `AnnotationPage` (`first`) with the annotations:
//   - one per entity    (motivation `identifying` when it has a gazetteer key, else `tagging`)
//   - one per citation  (motivation `linking`; bodies link to the reference annotations it resolves to)
//   - one per reference (motivation `describing`)
//   - one per finding   (motivation `assessing`; one target per span it names)
// Every target carries a TextPositionSelector (Unicode code point offsets into the record's text, as
// the model requires) and a TextQuoteSelector (exact, and up to 32 code points of prefix and suffix)
// so the annotations can be re-anchored after small edits of the text.
//
// IRIs: the document (the record's text) is `urn:assay:<document id>` (the id is derived from the
// input bytes); the collection is `urn:assay:<document id>:annotations`; each annotation is
// `urn:assay:<document id>:<record id>` (e1, c3, r5, f2). The source path and title are in the
// collection's `label` and in `assay:source` / `assay:title` fields (an extra context term maps the
// `assay:` prefix).
import AssayCore
import Foundation

public struct WebAnnotationExport {
    public static let context = "http://www.w3.org/ns/anno.jsonld"
    public static let quoteContext = 32

    private let write: ([UInt8]) throws -> Void
    private var count = 0

    /// Streams the array to `write` (call `finish()` at the end).
    public init(write: @escaping ([UInt8]) throws -> Void) throws {
        self.write = write
        try write(Array("[\n".utf8))
    }

    public mutating func add(_ record: AnnotationRecord) throws {
        var bytes = count == 0 ? [] : Array(",\n".utf8)
        bytes += Self.collection(record)
        try write(bytes)
        count += 1
    }

    public func finish() throws {
        try write(Array((count == 0 ? "]\n" : "\n]\n").utf8))
    }

    public static func documentIRI(_ r: AnnotationRecord) -> String { "urn:assay:\(r.document.id)" }
    public static func annotationIRI(_ r: AnnotationRecord, _ id: String) -> String { "urn:assay:\(r.document.id):\(id)" }

    /// One document's AnnotationCollection (JSON-LD object, no trailing newline).
    public static func collection(_ r: AnnotationRecord) -> [UInt8] {
        let text = ScalarText(r.text)
        let index = r.spansByID
        var w = JSONWriter(capacity: r.text.utf8.count + 4096)
        w.beginObject()
        w.key("@context")
        w.beginArray()
        w.string(context)
        w.beginObject()
        w.field("assay", "urn:assay:vocab#")
        w.endObject()
        w.endArray()
        w.field("id", "\(documentIRI(r)):annotations")
        w.field("type", "AnnotationCollection")
        w.field("label", r.document.title.map { "\($0) (\(r.document.source))" } ?? r.document.source)
        w.field("assay:source", r.document.source)
        w.optionalField("assay:title", r.document.title)
        w.field("assay:sha256", r.document.sha256)
        w.field("assay:schema", r.schema)
        let total = r.entities.count + r.citations.count + r.references.count + r.findings.count
        w.field("total", total)
        w.key("first")
        w.beginObject()
        w.field("id", "\(documentIRI(r)):annotations:page1")
        w.field("type", "AnnotationPage")
        w.field("startIndex", 0)
        w.key("items")
        w.beginArray()
        for e in r.entities {
            annotation(&w, r, e.id, motivation: e.key == nil ? "tagging" : "identifying") { w in
                textual(&w, purpose: "tagging", e.type)
                if let k = e.key { textual(&w, purpose: "identifying", k) }
                if let l = e.label { textual(&w, purpose: "describing", l) }
                for k in e.attributes.keys.sorted() { textual(&w, purpose: "describing", "\(k): \(e.attributes[k]!)") }
            } targets: { w in
                target(&w, r, text, e.start, e.end)
            }
        }
        for c in r.citations {
            annotation(&w, r, c.id, motivation: "linking") { w in
                textual(&w, purpose: "tagging", "citation")
                var who = c.authors.joined(separator: ", ")
                if c.etAl == true { who += " et al." }
                textual(&w, purpose: "describing", "\(c.style) citation: \(who) \(c.year)\(c.yearSuffix ?? "")")
                if c.references.isEmpty { textual(&w, purpose: "describing", "resolves to no reference entry") }
                for ref in c.references {
                    w.beginObject()
                    w.field("type", "SpecificResource")
                    w.field("purpose", "linking")
                    w.field("source", annotationIRI(r, ref))
                    w.endObject()
                }
            } targets: { w in
                target(&w, r, text, c.start, c.end)
            }
        }
        for ref in r.references {
            annotation(&w, r, ref.id, motivation: "describing") { w in
                textual(&w, purpose: "tagging", "reference")
                var parts: [String] = []
                let names = ref.authors.map(\.display).joined(separator: "; ")
                if !names.isEmpty { parts.append(names) }
                if let y = ref.year { parts.append(y + (ref.yearSuffix ?? "")) }
                if let t = ref.title { parts.append(t) }
                if let c = ref.container { parts.append(c) }
                if !parts.isEmpty { textual(&w, purpose: "describing", parts.joined(separator: ". ")) }
                textual(&w, purpose: "describing", ref.citedBy.isEmpty ? "not cited" : "cited by " + ref.citedBy.joined(separator: ", "))
            } targets: { w in
                target(&w, r, text, ref.start, ref.end)
            }
        }
        for f in r.findings {
            let spans = r.spans(of: f, index: index)
            annotation(&w, r, f.id, motivation: "assessing") { w in
                textual(&w, purpose: "tagging", f.kind)
                textual(&w, purpose: "classifying", f.severity)
                textual(&w, purpose: "assessing", f.message)
                if let s = f.score { textual(&w, purpose: "describing", "score \(JSONWriter.format(s))") }
            } targets: { w in
                if spans.isEmpty {
                    w.string(documentIRI(r))
                } else {
                    for s in spans { target(&w, r, text, s.start, s.end) }
                }
            }
        }
        w.endArray()
        w.endObject()
        w.endObject()
        return w.bytes
    }

    private static func annotation(_ w: inout JSONWriter, _ r: AnnotationRecord, _ id: String, motivation: String,
                                   bodies: (inout JSONWriter) -> Void, targets: (inout JSONWriter) -> Void) {
        w.beginObject()
        w.field("id", annotationIRI(r, id))
        w.field("type", "Annotation")
        w.field("motivation", motivation)
        w.key("body")
        w.beginArray()
        bodies(&w)
        w.endArray()
        w.key("target")
        w.beginArray()
        targets(&w)
        w.endArray()
        w.endObject()
    }

    private static func textual(_ w: inout JSONWriter, purpose: String, _ value: String) {
        w.beginObject()
        w.field("type", "TextualBody")
        w.field("purpose", purpose)
        w.field("value", value)
        w.field("format", "text/plain")
        w.endObject()
    }

    private static func target(_ w: inout JSONWriter, _ r: AnnotationRecord, _ text: ScalarText, _ start: Int, _ end: Int) {
        let (s, e) = text.clamp(start, end)
        w.beginObject()
        w.field("type", "SpecificResource")
        w.field("source", documentIRI(r))
        w.key("selector")
        w.beginArray()
        w.beginObject()
        w.field("type", "TextPositionSelector")
        w.field("start", s)
        w.field("end", e)
        w.endObject()
        w.beginObject()
        w.field("type", "TextQuoteSelector")
        w.field("exact", text.slice(s, e))
        w.field("prefix", text.slice(max(0, s - quoteContext), s))
        w.field("suffix", text.slice(e, min(text.count, e + quoteContext)))
        w.endObject()
        w.endArray()
        w.endObject()
    }
}
