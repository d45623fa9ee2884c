// The entities stage: treaties, laws, provisions, organizations, mechanisms, places, dates (and a
// few persons) with stable gazetteer keys; acronyms tied to what they stand for; `fact-mismatch`
// and `undefined-acronym` findings.
//
// Settings (pipeline definition, stage `entities`):
//   gazetteers:         list of gazetteer files, relative to the pipeline file's folder
//                       (default: gazetteers/{treaties,laws,organizations,mechanisms,places,persons,terms}.yaml)
//   skipSections:       section kinds not searched (default [references]: a reference list is the
//                       citations stage's; its titles name things the document does not discuss)
//   constitution:       the key "the Constitution" means in "Article 19 of the Constitution"
//                       (default pk-constitution-1973; "" for none)
//   patterns:           find laws, provisions, organizations by pattern (default true)
//   dates, persons:     date and byline patterns (default true)
//   undefinedAcronyms:  report acronyms nobody defines (default true)
//   factCheck:          compare stated dates with the gazetteer (default true)
//   reportKnownVariants: report a date that matches a known variant as an info finding (default true)

import AssayCore
import Foundation

public struct EntitiesStage: Stage {
    public static let name = "entities"

    public static let defaultGazetteers = [
        "gazetteers/treaties.yaml", "gazetteers/laws.yaml", "gazetteers/organizations.yaml",
        "gazetteers/mechanisms.yaml", "gazetteers/places.yaml", "gazetteers/persons.yaml", "gazetteers/terms.yaml",
    ]

    let lexicon: Lexicon
    let options: AnalysisOptions
    /// The section kinds not searched (kinds, not their names: a set of names hashed a string per
    /// section of every document).
    let skipKinds: [Section.Kind]
    /// Files read with the Yams fallback (they use YAML beyond the fast reader's subset).
    public let filesReadWithYams: [String]

    public init(settings: inout StageSettings, context: PipelineContext) throws {
        let files = try settings.strings("gazetteers", default: EntitiesStage.defaultGazetteers)
        var options = AnalysisOptions()
        let constitution = try settings.string("constitution", default: "pk-constitution-1973")
        options.constitutionKey = constitution.isEmpty ? nil : constitution
        options.patterns = try settings.bool("patterns", default: true)
        options.dates = try settings.bool("dates", default: true)
        options.persons = try settings.bool("persons", default: true)
        options.undefinedAcronyms = try settings.bool("undefinedAcronyms", default: true)
        options.factCheck = try settings.bool("factCheck", default: true)
        options.reportKnownVariants = try settings.bool("reportKnownVariants", default: true)
        let skip = try settings.strings("skipSections", default: ["references"])
        for s in skip where Section.Kind(rawValue: s) == nil {
            throw settings.error("skipSections", "unknown section kind '\(s)'")
        }
        guard !files.isEmpty else { throw settings.error("gazetteers", "no gazetteer files") }
        var entries: [GazetteerEntry] = []
        var yams: [String] = []
        for f in files {
            let url = context.resolve(f)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw settings.error("gazetteers", "file not found: \(url.path)")
            }
            do {
                let loaded = try GazetteerLoader.load(url)
                entries.append(contentsOf: loaded.entries)
                if loaded.usedYams { yams.append(f) }
            } catch let e as GazetteerError {
                throw settings.error("gazetteers", e.description)
            }
        }
        do {
            lexicon = try Lexicon(entries: entries)
        } catch let e as GazetteerError {
            throw settings.error("gazetteers", e.description)
        }
        if let c = options.constitutionKey, lexicon.keyIndex[c] == nil {
            throw settings.error("constitution", "no gazetteer entry has the key '\(c)'")
        }
        self.options = options
        skipKinds = skip.compactMap { Section.Kind(rawValue: $0) }
        filesReadWithYams = yams
    }

    /// Builds the stage from gazetteer entries directly (tests).
    init(entries: [GazetteerEntry], options: AnalysisOptions = AnalysisOptions(), skipSections: Set<String> = ["references"]) throws {
        lexicon = try Lexicon(entries: entries)
        self.options = options
        skipKinds = skipSections.compactMap { Section.Kind(rawValue: $0) }
        filesReadWithYams = []
    }

    public func process(_ document: inout Document) throws {
        let analysis = analyze(document)
        analysis.emit(into: &document)
    }

    /// Runs the analysis without touching the document (tests read its work counters).
    func analyze(_ document: Document) -> DocAnalysis {
        // Each section's kind and span read where they lie: `filter` copied each section, whose
        // label (a heading's text) it retained and released.
        var skip: [Range<Int>] = [], headings: [Range<Int>] = []
        headings.reserveCapacity(document.sections.count)
        for i in document.sections.indices {
            let kind = document.sections[i].kind, span = document.sections[i].span
            if skipKinds.contains(kind) { skip.append(span.range) }
            if kind == .title || kind == .heading { headings.append(span.range) }
        }
        skip.sort { $0.lowerBound < $1.lowerBound }
        var a = DocAnalysis(lexicon: lexicon, options: options, text: document.textBytes, skip: skip, headings: headings)
        a.scanGazetteer()
        if options.patterns { a.runPatterns() } else if options.dates { a.dates() }
        a.findDefinitions()
        a.acronymUses()
        a.resolveShared()
        if options.factCheck { a.checkFacts() }
        return a
    }
}
