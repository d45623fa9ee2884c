import AssayCore
import Foundation
import Pipeline

/// A small article written for these tests: hard-wrapped plain text (so the normalized text and the
/// file differ in line breaks), non-ASCII letters (ï, ü, –) and astral characters (😀, 𝔘). It goes
/// through the real ingest stage, so the document has a real source map; entities, citations,
/// references and findings are then added by hand (those stages are written elsewhere).
enum HandBuilt {
    static let input = """
    Rights of Minorities and the Courts: A Review

    Aïsha Khan

    ABSTRACT

    This note reviews how Pakistan's courts read CEDAW and the ICCPR.

    INTRODUCTION

    The Convention on the Elimination of All Forms of Discrimination against
    Women (CEDAW) binds Pakistan since 1996 (Kai, et. Al 2020). Müller (2019)
    reads the Human Rights Commission of Pakistan (HRCP) reports differently;
    the Universal Periodic Review 😀 was cited by Zaman (2018) and 𝔘rdu sources
    (Qasim 2017).

    REFERENCES

    Kai, S., Wang, B. (2020). A multi-task reinforcement learning approach. IEEE.

    Müller, J. (2019). Minderheitenrechte im Vergleich. Berlin: Springer.

    Müller, J. (2019). Minderheitenrechte im Vergleich. Berlin: Springer.

    Zaman, R. (2021). Blasphemy laws and due process. Lahore Law
        Review, 4(2), 11–29.

    Unused, A. (2015). Never cited. Oxford.

    """

    struct Built {
        var document: Document
        var path: String
        var raw: [UInt8]
    }

    /// Writes the input into `dir`, ingests it and annotates it.
    static func make(in dir: String, name: String = "hand-article.txt") throws -> Built {
        let path = dir + "/" + name
        let raw = Array(input.utf8)
        try Data(raw).write(to: URL(fileURLWithPath: path))
        var doc = try ingestPipeline().process(source: path, bytes: raw).get()
        annotate(&doc)
        return Built(document: doc, path: path, raw: raw)
    }

    /// The byte span of the `occurrence`-th `needle` in the document's text.
    static func span(_ doc: Document, _ needle: String, occurrence: Int = 0) -> Span {
        let n = Array(needle.utf8)
        let t = doc.textBytes
        var seen = 0
        var i = 0
        while i + n.count <= t.count {
            if t[i] == n[0] && Array(t[i..<(i + n.count)]) == n {
                if seen == occurrence { return Span(i, i + n.count) }
                seen += 1
            }
            i += 1
        }
        fatalError("'\(needle)' #\(occurrence) is not in the text")
    }

    static func annotate(_ doc: inout Document) {
        func s(_ needle: String, _ occurrence: Int = 0) -> Span { span(doc, needle, occurrence: occurrence) }
        let cedawLabel = "Convention on the Elimination of All Forms of Discrimination against Women"
        doc.entities = [
            Entity(type: .treaty, span: s("CEDAW"), key: "cedaw", label: cedawLabel, attributes: ["acronym": "CEDAW"]),  // 0
            Entity(type: .treaty, span: s("ICCPR"), key: "iccpr", label: "International Covenant on Civil and Political Rights"),  // 1
            Entity(type: .treaty, span: s(cedawLabel), key: "cedaw", label: cedawLabel),  // 2: crosses a line break of the file
            Entity(type: .treaty, span: s("CEDAW", 1), key: "cedaw", label: cedawLabel),  // 3
            Entity(type: .date, span: s("1996"), attributes: ["value": "1996"]),  // 4
            Entity(type: .organization, span: s("Human Rights Commission of Pakistan"), key: "pk-hrcp", label: "Human Rights Commission of Pakistan"),  // 5
            Entity(type: .organization, span: s("HRCP"), key: "pk-hrcp", label: "Human Rights Commission of Pakistan", attributes: ["definedBy": "e6"]),  // 6
            Entity(type: .mechanism, span: s("Universal Periodic Review 😀"), key: "upr", label: "Universal Periodic Review"),  // 7: astral
            Entity(type: .place, span: s("𝔘rdu")),  // 8: starts with an astral character
            Entity(type: .person, span: s("Khan\n\nABSTRACT")),  // 9: crosses two line breaks of the text
            Entity(type: .place, span: s("Pakistan", 1)),  // 10
        ]
        doc.references = [
            Reference(span: s("Kai, S., Wang, B. (2020). A multi-task reinforcement learning approach. IEEE."),
                      authors: [PersonName(family: "Kai", given: "S."), PersonName(family: "Wang", given: "B.")], year: "2020",
                      title: "A multi-task reinforcement learning approach", container: "IEEE", citedBy: [0]),  // 0
            Reference(span: s("Müller, J. (2019). Minderheitenrechte im Vergleich. Berlin: Springer."),
                      authors: [PersonName(family: "Müller", given: "J.")], year: "2019", title: "Minderheitenrechte im Vergleich",
                      publisher: "Springer", citedBy: [1]),  // 1
            Reference(span: s("Müller, J. (2019). Minderheitenrechte im Vergleich. Berlin: Springer.", 1),
                      authors: [PersonName(family: "Müller", given: "J.")], year: "2019", title: "Minderheitenrechte im Vergleich",
                      publisher: "Springer", citedBy: [1]),  // 2
            Reference(span: s("Zaman, R. (2021). Blasphemy laws and due process. Lahore Law Review, 4(2), 11–29."),
                      authors: [PersonName(family: "Zaman", given: "R.")], year: "2021", title: "Blasphemy laws and due process",
                      container: "Lahore Law Review", volume: "4", issue: "2", pages: "11–29", citedBy: [2]),  // 3
            Reference(span: s("Unused, A. (2015). Never cited. Oxford."), authors: [PersonName(family: "Unused", given: "A.")],
                      year: "2015", title: "Never cited", publisher: "Oxford"),  // 4
        ]
        doc.citations = [
            Citation(span: s("(Kai, et. Al 2020)"), style: .parenthetical, authors: ["Kai"], etAl: true, year: "2020",
                     references: [0], defects: ["et. Al"]),  // 0
            Citation(span: s("Müller (2019)"), style: .narrative, authors: ["Müller"], etAl: false, year: "2019", references: [1, 2]),  // 1
            Citation(span: s("Zaman (2018)"), style: .narrative, authors: ["Zaman"], etAl: false, year: "2018", references: [3]),  // 2
            Citation(span: s("(Qasim 2017)"), style: .parenthetical, authors: ["Qasim"], etAl: false, year: "2017"),  // 3
        ]
        doc.findings = [
            Finding(kind: .malformedCitation, message: "Write \"et al.\" instead of \"et. Al\".", citations: [0]),
            Finding(kind: .topicMismatch, message: "The cited work is about reinforcement learning, the passage about CEDAW.",
                    citations: [0], references: [0], score: 0.03),
            Finding(kind: .ambiguousCitation, message: "Müller (2019) matches two entries; add a/b suffixes.", citations: [1], references: [1, 2]),
            Finding(kind: .yearMismatch, message: "Zaman is listed with 2021, cited with 2018.", citations: [2], references: [3]),
            Finding(kind: .orphanCitation, message: "No reference entry for Qasim 2017.", citations: [3]),
            Finding(kind: .duplicateReference, message: "The same work is listed twice.", references: [1, 2]),
            Finding(kind: .uncitedReference, message: "Unused (2015) is never cited.", references: [4]),
            Finding(kind: .factMismatch, message: "Pakistan acceded to CEDAW on 12 March 1996: check the year.", entities: [4, 2]),
            Finding(kind: .undefinedAcronym, message: "ICCPR is not defined\nin this document.", entities: [1]),
        ]
    }

    /// Where `assay check` must point for each finding kind: (needle, occurrence) in the INPUT file.
    static let expectedAnchors: [String: (String, Int)] = [
        "malformed-citation": ("(Kai, et. Al 2020)", 0),
        "topic-mismatch": ("(Kai, et. Al 2020)", 0),
        "ambiguous-citation": ("Müller (2019)", 0),
        "year-mismatch": ("Zaman (2018)", 0),
        "orphan-citation": ("(Qasim 2017)", 0),
        "duplicate-reference": ("Müller, J. (2019)", 0),
        "uncited-reference": ("Unused, A.", 0),
        "fact-mismatch": ("Convention on the Elimination", 0),
        "undefined-acronym": ("ICCPR", 0),
    ]
}

/// A document whose every string is hostile markup: text, title, source, labels, messages.
enum Hostile {
    static let script = "<script>document.title='pwned'</script>"
    static let image = "<img src=x onerror=\"document.title='pwned'\">"
    static let link = "<a href=\"javascript:document.title='pwned'\">click</a>"
    static let attribute = "\" onmouseover=\"document.title='pwned'\" x=\""
    static let closing = "</mark></div></textarea></style></script><svg onload=\"document.title='pwned'\">"

    static func document() -> Document {
        let text = """
        Hostile & <b>bold</b> title \(script)

        A paragraph with \(image) and \(link) and \(attribute).
        Then \(closing) and 'quotes' & "double" U+2028:\u{2028}end.
        """
        var doc = Document(source: "hostile/\(script).txt", raw: Array(text.utf8))
        doc.textBytes = Array(text.utf8)
        doc.title = "Hostile & <b>bold</b> title \(script)"
        func s(_ needle: String) -> Span { HandBuilt.span(doc, needle) }
        doc.sections = [Section(kind: .body, span: Span(0, doc.textBytes.count), label: image)]
        doc.entities = [
            Entity(type: .organization, span: s(script), key: "x\(image)", label: link, attributes: ["note": attribute]),
            Entity(type: .treaty, span: s(image), key: "<key>", label: closing),
        ]
        doc.references = [Reference(span: s(link), authors: [PersonName(family: script, given: image)], year: "2020",
                                    title: closing, container: attribute)]
        doc.citations = [Citation(span: s(attribute), style: .narrative, authors: [image], etAl: false, year: script,
                                  locator: link, references: [0], defects: [closing])]
        doc.references[0].citedBy = [0]
        doc.findings = [
            Finding(kind: .topicMismatch, message: "Message \(script) \(image) \(link)", citations: [0], references: [0], score: 0.5),
            Finding(kind: .factMismatch, message: closing + attribute, entities: [0, 1]),
        ]
        return doc
    }
}
