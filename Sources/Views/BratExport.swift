// brat standoff export, loadable in brat and INCEpTION ("brat" format).
//
// Into one folder: per document NAME.txt (the record's text, UTF-8) and NAME.ann, where NAME is the
// source file's name without extension followed by the first 8 digits of the document id; beside
// them annotation.conf (the types used) and visual.conf (colours close to the HTML report's).
//
// .ann lines:
//   T  one per entity (type = entity type), citation (`citation`) and reference (`reference`);
//      offsets are Unicode code points, as brat counts them. A span that contains a line break is
//      written as discontinuous fragments `start end;start end` around the breaks, as brat requires;
//      the text column is the fragments joined by a space (brat's rule).
//   R  `resolves_to Arg1:T(citation) Arg2:T(reference)` for each link from a citation to an entry.
//   A  `severity T error|warning|info`: the highest severity of the findings about that span.
//   #  `AnnotatorNotes T  ...` one note per T (brat shows one note per annotation): the entity key and
//      label, then every finding whose first span it is ("error orphan-citation f1: message"),
//      joined by " | ".
import AssayCore
import Foundation

public struct BratExport {
    public static let marker = "# Written by assay: brat standoff export of assay.annotations/1 records."
    static let builtInTypes = ["treaty", "law", "provision", "organization", "mechanism", "person", "place", "date"]

    private let folder: ViewFolder
    private var usedNames = Set<String>()
    private var entityTypes = Set<String>()
    public private(set) var documents = 0
    /// Findings that name no span and so could not be attached to a T.
    public private(set) var unattachedFindings = 0

    /// Builds the export in a temporary folder beside `directory`; `finish()` puts it in place.
    /// An existing `directory` is replaced only if it is empty or an earlier brat export by assay.
    public init(directory: String) throws {
        folder = try ViewFolder(directory) { path in
            guard let conf = try? String(contentsOfFile: path + "/annotation.conf", encoding: .utf8) else { return false }
            return conf.hasPrefix(BratExport.marker)
        }
    }

    public mutating func add(_ record: AnnotationRecord) throws {
        var name = Self.baseName(record)
        if usedNames.contains(name) {
            var n = 2
            while usedNames.contains("\(name)-\(n)") { n += 1 }
            name = "\(name)-\(n)"
        }
        usedNames.insert(name)
        let (txt, ann, unattached) = Self.render(record)
        for e in record.entities { entityTypes.insert(Self.typeName(e.type)) }
        try ViewFile.write(txt, to: folder.file(name + ".txt"))
        try ViewFile.write(ann, to: folder.file(name + ".ann"))
        unattachedFindings += unattached
        documents += 1
    }

    public func finish() throws {
        try ViewFile.write(Array(annotationConf().utf8), to: folder.file("annotation.conf"))
        try ViewFile.write(Array(visualConf().utf8), to: folder.file("visual.conf"))
        try folder.commit()
    }

    public func abort() { folder.abort() }

    /// `source` file name without extension (safe characters only) + "-" + 8 digits of the id.
    public static func baseName(_ r: AnnotationRecord) -> String {
        var stem = URL(fileURLWithPath: r.document.source).deletingPathExtension().lastPathComponent
        stem = String(stem.unicodeScalars.map { u -> Character in
            (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_")) ? Character(u) : "_"
        })
        if stem.count > 60 { stem = String(stem.prefix(60)) }
        if stem.isEmpty || stem.hasPrefix(".") { stem = "doc" + stem }
        return "\(stem)-\(r.document.id.prefix(8))"
    }

    /// brat type names: letters, digits, '-' and '_'.
    static func typeName(_ s: String) -> String {
        let t = String(s.unicodeScalars.map { u -> Character in
            (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_")) ? Character(u) : "_"
        })
        return t.isEmpty ? "entity" : t
    }

    static func isBreak(_ u: Unicode.Scalar) -> Bool { u == "\n" || u == "\r" }

    /// The fragments of [start, end) between line breaks (empty fragments dropped).
    public static func fragments(_ text: ScalarText, _ start: Int, _ end: Int) -> [(Int, Int)] {
        let (s, e) = text.clamp(start, end)
        var out: [(Int, Int)] = []
        var from = s
        for i in s..<e where isBreak(text.scalars[i]) {
            if i > from { out.append((from, i)) }
            from = i + 1
        }
        if e > from { out.append((from, e)) }
        return out
    }

    /// A note's text on one line (tabs and line breaks become spaces).
    static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" ? " " : $0 }))
    }

    /// The .txt and .ann of one record, and how many findings named no span.
    public static func render(_ r: AnnotationRecord) -> (txt: [UInt8], ann: [UInt8], unattached: Int) {
        let text = ScalarText(r.text)
        // brat reads the .txt with universal newlines: a lone CR would become LF anyway (same length),
        // and CR LF would become one character and shift every offset after it. Write CR as LF.
        var txt = String.UnicodeScalarView()
        txt.append(contentsOf: text.scalars.map { $0 == "\r" ? "\n" : $0 })
        var ann = ""
        var tOf: [String: String] = [:]
        var n = 0
        func textbound(_ id: String, _ type: String, _ start: Int, _ end: Int) {
            let frags = fragments(text, start, end)
            guard !frags.isEmpty else { return }
            n += 1
            let t = "T\(n)"
            tOf[id] = t
            let offsets = frags.map { "\($0.0) \($0.1)" }.joined(separator: ";")
            let quoted = frags.map { text.slice($0.0, $0.1) }.joined(separator: " ")
            ann += "\(t)\t\(type) \(offsets)\t\(quoted)\n"
        }
        // Textbounds in text order, references first at equal starts (outer before inner).
        var spans: [(start: Int, end: Int, layer: Int, id: String, type: String)] = []
        for e in r.entities { spans.append((e.start, e.end, 2, e.id, typeName(e.type))) }
        for c in r.citations { spans.append((c.start, c.end, 1, c.id, "citation")) }
        for ref in r.references { spans.append((ref.start, ref.end, 0, ref.id, "reference")) }
        spans.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end > b.end }
            return a.layer < b.layer
        }
        for s in spans { textbound(s.id, s.type, s.start, s.end) }

        var rn = 0
        for c in r.citations {
            guard let ct = tOf[c.id] else { continue }
            for ref in c.references {
                guard let rt = tOf[ref] else { continue }
                rn += 1
                ann += "R\(rn)\tresolves_to Arg1:\(ct) Arg2:\(rt)\n"
            }
        }

        // Notes and severities per T.
        var notes: [String: [String]] = [:]
        var severity: [String: Int] = [:]
        let rank = ["info": 1, "warning": 2, "error": 3]
        for e in r.entities {
            guard let t = tOf[e.id] else { continue }
            var parts: [String] = []
            if let k = e.key { parts.append("key: \(k)") }
            if let l = e.label { parts.append(l) }
            for k in e.attributes.keys.sorted() { parts.append("\(k): \(e.attributes[k]!)") }
            if !parts.isEmpty { notes[t, default: []].append(parts.joined(separator: "; ")) }
        }
        let index = r.spansByID
        var unattached = 0
        for f in r.findings {
            guard let first = r.firstSpan(of: f, index: index), let t = tOf[first.id] else {
                unattached += 1
                continue
            }
            notes[t, default: []].append("\(f.severity) \(f.kind) \(f.id): \(f.message)")
            for s in r.spans(of: f, index: index) {
                if let ts = tOf[s.id], (rank[f.severity] ?? 0) > (severity[ts] ?? 0) { severity[ts] = rank[f.severity] ?? 0 }
            }
        }
        func tNumber(_ t: String) -> Int { Int(t.dropFirst()) ?? 0 }
        var an = 0
        let names = [1: "info", 2: "warning", 3: "error"]
        for t in severity.keys.sorted(by: { tNumber($0) < tNumber($1) }) {
            an += 1
            ann += "A\(an)\tseverity \(t) \(names[severity[t]!]!)\n"
        }
        var hn = 0
        for t in notes.keys.sorted(by: { tNumber($0) < tNumber($1) }) {
            hn += 1
            ann += "#\(hn)\tAnnotatorNotes \(t)\t\(oneLine(notes[t]!.joined(separator: " | ")))\n"
        }
        return (Array(String(txt).utf8), Array(ann.utf8), unattached)
    }

    func annotationConf() -> String {
        let types = Self.builtInTypes + entityTypes.subtracting(Self.builtInTypes).sorted()
        return """
        \(Self.marker)
        # Entity types of the record, plus citations and reference-list entries. Spans may nest
        # (an entity inside a reference entry), hence the <OVERLAP> rule.
        [entities]
        \(types.joined(separator: "\n"))
        citation
        reference

        [relations]
        resolves_to Arg1:citation, Arg2:reference
        <OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

        [events]

        [attributes]
        severity Arg:<ENTITY>, Value:error|warning|info

        """
    }

    func visualConf() -> String {
        let colours = ["treaty": "#cfe2ff", "law": "#ddd6fe", "provision": "#f3d8fb", "organization": "#c8f0d6",
                       "mechanism": "#c4ede8", "person": "#ffd8e6", "place": "#ffe3c2", "date": "#e3e6ea"]
        var drawing = ""
        for t in Self.builtInTypes + entityTypes.subtracting(Self.builtInTypes).sorted() {
            drawing += "\(t)\tbgColor:\(colours[t] ?? "#ececec")\n"
        }
        return """
        \(Self.marker)
        [labels]
        citation | Citation | Cit
        reference | Reference | Ref
        resolves_to | resolves to

        [drawing]
        \(drawing)citation\tbgColor:#fff0a0
        reference\tbgColor:#e9eef5
        resolves_to\tcolor:#b7791f, dashArray:3-3
        severity\tglyph:✖|⚠|ℹ

        """
    }
}
