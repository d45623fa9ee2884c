// The typed model every stage reads and adds to: one document, its text and what was found in it.
//
// All spans inside the pipeline are UTF-8 byte offsets into `Document.textBytes` (stages scan bytes).
// The record writer turns them into the Unicode scalar offsets the output contract requires.

/// A half-open range `[start, end)` of UTF-8 byte offsets into `Document.textBytes`.
public struct Span: Hashable, Comparable, Sendable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    public var length: Int { end - start }
    public var range: Range<Int> { start..<end }

    public func contains(_ other: Span) -> Bool { start <= other.start && other.end <= end }
    public func overlaps(_ other: Span) -> Bool { start < other.end && other.start < end }

    public static func < (a: Span, b: Span) -> Bool {
        a.start != b.start ? a.start < b.start : a.end < b.end
    }
}

public enum MediaType: String, Sendable {
    case plain = "text/plain"
    case html = "text/html"
    case markdown = "text/markdown"
}

/// A block of the ingested text: the unit of layout that later stages reason about
/// (a reference entry is a list item or a paragraph; a heading opens a section).
public struct Block: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case title, heading, paragraph, listItem, tableRow
    }
    public var kind: Kind
    public var span: Span
    /// Heading level (1 = top) for headings, nesting depth for list items, 0 otherwise.
    public var level: Int

    public init(kind: Kind, span: Span, level: Int = 0) {
        self.kind = kind
        self.span = span
        self.level = level
    }
}

public struct Section: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case title
        case frontMatter = "front-matter"
        case abstract, keywords, heading, body, table, references
    }
    public var kind: Kind
    public var span: Span
    public var label: String?

    public init(kind: Kind, span: Span, label: String? = nil) {
        self.kind = kind
        self.span = span
        self.label = label
    }
}

public struct Entity: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case treaty, law, provision, organization, mechanism, person, place, date
    }
    public var type: Kind
    public var span: Span
    /// Stable gazetteer key (`cedaw`, `pk-peca-2016`); nil for pattern-found entities.
    public var key: String?
    /// Official label from the gazetteer.
    public var label: String?
    /// Extra fields written into the record as they are (sorted by name): e.g. `instrument`
    /// (the key a provision belongs to), `acronym`, `definedBy`, `value` (a normalized date).
    public var attributes: [String: String]

    public init(type: Kind, span: Span, key: String? = nil, label: String? = nil, attributes: [String: String] = [:]) {
        self.type = type
        self.span = span
        self.key = key
        self.label = label
        self.attributes = attributes
    }
}

public struct Citation: Sendable, Equatable {
    public enum Style: String, Sendable { case parenthetical, narrative }
    public var span: Span
    public var style: Style
    /// Surnames as written in the citation ("Khan", "Bhatti", "Jillani").
    public var authors: [String]
    public var etAl: Bool
    /// The year as a string: "2021", or "n.d.", "in press".
    public var year: String
    /// The a/b suffix that tells apart works of one author and year ("2019a" -> "a").
    public var yearSuffix: String?
    /// A locator such as "p. 35".
    public var locator: String?
    /// Indices into `Document.references`: one when resolved, several when ambiguous, none when orphaned.
    public var references: [Int]
    /// What is mis-punctuated, for `malformed-citation` ("et. Al", "Kretzmer. &").
    public var defects: [String]

    public init(span: Span, style: Style, authors: [String], etAl: Bool, year: String,
                yearSuffix: String? = nil, locator: String? = nil, references: [Int] = [], defects: [String] = []) {
        self.span = span
        self.style = style
        self.authors = authors
        self.etAl = etAl
        self.year = year
        self.yearSuffix = yearSuffix
        self.locator = locator
        self.references = references
        self.defects = defects
    }
}

public struct PersonName: Sendable, Equatable, Hashable {
    public var family: String
    public var given: String?

    public init(family: String, given: String? = nil) {
        self.family = family
        self.given = given
    }
}

public struct Reference: Sendable, Equatable {
    public var span: Span
    public var authors: [PersonName]
    /// True when the names listed are editors ("eds.").
    public var editors: Bool
    public var year: String?
    public var yearSuffix: String?
    public var title: String?
    public var container: String?
    public var volume: String?
    public var issue: String?
    public var pages: String?
    public var publisher: String?
    /// Indices into `Document.citations` that resolve to this entry; filled by linking.
    public var citedBy: [Int]

    public init(span: Span, authors: [PersonName] = [], editors: Bool = false, year: String? = nil,
                yearSuffix: String? = nil, title: String? = nil, container: String? = nil,
                volume: String? = nil, issue: String? = nil, pages: String? = nil,
                publisher: String? = nil, citedBy: [Int] = []) {
        self.span = span
        self.authors = authors
        self.editors = editors
        self.year = year
        self.yearSuffix = yearSuffix
        self.title = title
        self.container = container
        self.volume = volume
        self.issue = issue
        self.pages = pages
        self.publisher = publisher
        self.citedBy = citedBy
    }
}

public enum Severity: String, Sendable, Comparable, CaseIterable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

public struct Finding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case orphanCitation = "orphan-citation"
        case uncitedReference = "uncited-reference"
        case ambiguousCitation = "ambiguous-citation"
        case yearMismatch = "year-mismatch"
        case nameMismatch = "name-mismatch"
        case givenNameAsSurname = "given-name-as-surname"
        case duplicateReference = "duplicate-reference"
        case malformedCitation = "malformed-citation"
        case topicMismatch = "topic-mismatch"
        case citationConcentration = "citation-concentration"
        case factMismatch = "fact-mismatch"
        case undefinedAcronym = "undefined-acronym"

        /// The severity the output contract gives each kind.
        public var severity: Severity {
            switch self {
            case .orphanCitation, .yearMismatch, .nameMismatch, .factMismatch: .error
            case .uncitedReference, .ambiguousCitation, .givenNameAsSurname, .duplicateReference,
                 .topicMismatch, .citationConcentration: .warning
            case .malformedCitation, .undefinedAcronym: .info
            }
        }
    }
    public var kind: Kind
    public var severity: Severity
    public var message: String
    /// Indices into the document's arrays.
    public var citations: [Int]
    public var references: [Int]
    public var entities: [Int]
    public var score: Double?

    public init(kind: Kind, severity: Severity? = nil, message: String, citations: [Int] = [],
                references: [Int] = [], entities: [Int] = [], score: Double? = nil) {
        self.kind = kind
        self.severity = severity ?? kind.severity
        self.message = message
        self.citations = citations
        self.references = references
        self.entities = entities
        self.score = score
    }
}

/// One input document as it goes through the pipeline. Ingest fills the text, blocks and sections;
/// every later stage reads them and appends what it finds.
public struct Document: Sendable {
    /// The path as given on the command line (or made relative to the folder given).
    public var source: String
    /// First 16 hex digits of `sha256`.
    public var id: String
    public var sha256: String
    /// The input bytes; ingest consumes them and leaves this empty.
    public var raw: [UInt8]
    public var mediaType: MediaType
    public var title: String?
    /// The normalized text (NFC, UTF-8) every span points into.
    public var textBytes: [UInt8]
    /// Where each stretch of the text came from in the decoded input.
    public var sourceMap: SourceMap
    /// The encoding the input was decoded from ("UTF-8", "UTF-16LE", "windows-1252", ...).
    public var encoding: String
    public var blocks: [Block]
    /// Emphasized runs (italic or bold in the input: `*Journal*`, `<i>Title</i>`), kept as hints
    /// for later stages (a reference's container is usually in italics); not part of the record.
    public var emphasis: [Span]
    public var sections: [Section]
    public var entities: [Entity]
    public var citations: [Citation]
    public var references: [Reference]
    public var findings: [Finding]

    public init(source: String, raw: [UInt8]) {
        self.source = source
        self.raw = raw
        let digest = SHA256.hex(raw)
        self.sha256 = digest
        self.id = String(digest.prefix(16))
        self.mediaType = .plain
        self.title = nil
        self.textBytes = []
        self.sourceMap = SourceMap()
        self.encoding = "UTF-8"
        self.blocks = []
        self.emphasis = []
        self.sections = []
        self.entities = []
        self.citations = []
        self.references = []
        self.findings = []
    }

    /// The text as a Swift string (one decode; keep it out of per-token loops).
    public var text: String { String(decoding: textBytes, as: UTF8.self) }

    /// The text of a span.
    public func string(_ span: Span) -> String {
        String(decoding: textBytes[span.start..<span.end], as: UTF8.self)
    }

    /// The section kinds that contain `offset`, innermost last.
    public func sections(containing offset: Int) -> [Section] {
        sections.filter { $0.span.start <= offset && offset < $0.span.end }
    }

    /// The references section, if ingest found one.
    public var referencesSection: Section? { sections.first { $0.kind == .references } }
}

/// An input that cannot become a record: reported in `errors.jsonl`, the batch goes on.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case unreadable, notText = "not-text", encoding, tooLarge = "too-large", empty, internalError = "internal"
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { "\(kind.rawValue): \(message)" }
}
