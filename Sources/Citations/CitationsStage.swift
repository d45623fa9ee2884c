import AssayCore

/// Fills `citations`, `references` and the structural findings.
///
/// Reads the references section ingest marked (or finds it from its heading), splits and parses
/// its entries (`ReferenceParser`), finds the citations everywhere else (`CitationFinder`), links
/// them (`Linker`) and reports what an editor must fix (`CitationFindings`).
///
/// Settings:
/// - `nameMismatchRatio` (default 0.2): how many edits per letter a surname may be off and still
///   count as a misspelling of the listed one (`Jillani`/`Jiliani`: 1 edit in 7 letters).
/// - `nameMismatchMinLength` (default 5): shorter surnames must match exactly.
/// - `maxGroupBytes` (default 300): the longest bracketed group read as citations.
public struct CitationsStage: Stage {
    public static let name = "citations"
    let linkOptions: Linker.Options
    let maxGroupBytes: Int

    public init(settings: inout StageSettings, context: PipelineContext) throws {
        var o = Linker.Options()
        o.nameMismatchRatio = try settings.double("nameMismatchRatio", default: 0.2, in: 0...0.5)
        o.nameMismatchMinLength = try settings.int("nameMismatchMinLength", default: 5, in: 1...50)
        linkOptions = o
        maxGroupBytes = try settings.int("maxGroupBytes", default: 300, in: 50...5000)
        Self.loadTables()
    }

    public init() {
        linkOptions = Linker.Options()
        maxGroupBytes = 300
        Self.loadTables()
    }

    /// Builds the word sets and fold maps the stage reads (each made once, on first use) while the
    /// pipeline is built, so the first document does not pay for them.
    static func loadTables() {
        _ = Names.key("\u{A9}")  // the fold maps: Latin letters, symbols and punctuation
        _ = Names.stopWords.count + Names.doubtfulWords.count + Names.particles.count + Names.determiners.count
            + Names.months.count + Names.stopWordSet.words.count + Names.doubtfulWordSet.words.count
            + Names.particleSet.words.count + Names.monthSet.words.count
        _ = CitationFinder.reportingWords.count + CitationFinder.narrativeLeadIns.count
            + CitationFinder.citingPrefixes.count + CitationFinder.locatorWords.count
        _ = ReferenceParser.blankReference
        _ = ReferenceParser.stripCharacters.count + ReferenceParser.titleAbbreviations.count
            + ReferenceParser.abbreviations.count + ReferenceParser.publisherNeedles.count
            + ReferenceParser.journalNeedles.count + ReferenceParser.linkNeedles.count
            + ReferenceParser.publisherNeedleBits.count + ReferenceParser.journalNeedleBits.count
            + ReferenceParser.titleAbbreviationSet.words.count + ReferenceParser.abbreviationSet.words.count
        _ = ReferenceSectionLocator.headings.count + ReferenceSectionLocator.longestHeading
        _ = YearToken.yearStrings.count + YearToken.suffixStrings.count
    }

    public func process(_ document: inout Document) throws {
        let section = document.referencesSection ?? ReferenceSectionLocator.locate(in: document)
        var refs = section.map { ReferenceParser().parse(document, section: $0) } ?? []
        var finder = CitationFinder()
        finder.maxGroupBytes = maxGroupBytes
        let found = finder.find(document.textBytes, excluding: section?.span)
        let (founds, linked, firstAuthorKeys, canonical) = Self.link(found, refs, options: linkOptions)
        // weak shapes count only when they resolve; `Name 2019` (no comma) only where the document
        // itself cites single authors that way
        var resolvedLoose = 0
        for k in founds.indices where founds[k].loose && !linked[k].references.isEmpty { resolvedLoose += 1 }
        let looseStyle = resolvedLoose >= 2
        var kept = founds.indices.filter {
            guard linked[$0].references.isEmpty else { return true }
            return !founds[$0].weak && (!founds[$0].loose || looseStyle)
        }
        let starts = founds.map(\.citation.span.start)
        kept.sort { starts[$0] < starts[$1] }
        // drop overlaps (a narrative reading over a parenthetical one)
        var citations: [Citation] = []
        // (each citation's link result read where it is, by index: no copy of it)
        var linkOf: [Int] = []
        citations.reserveCapacity(kept.count)
        linkOf.reserveCapacity(kept.count)
        var lastEnd = Int.min
        for k in kept {
            if !citations.isEmpty, starts[k] < lastEnd { continue }
            citations.append(founds[k].citation)
            linkOf.append(k)
            lastEnd = founds[k].citation.span.end
        }
        for ci in citations.indices {
            for r in citations[ci].references { refs[r].citedBy.append(ci) }
        }
        // (the orphans' hint index is made only when there is an orphan to give a hint)
        let hasOrphan = citations.contains { $0.references.isEmpty }
        let report = CitationFindings(text: document.textBytes, refs: refs, firstAuthorKeys: hasOrphan ? firstAuthorKeys : [])
        var findings: [Finding] = []
        // (only a citation with findings is copied for the call; its findings are added where they go)
        for ci in citations.indices where CitationFindings.hasFindings(citations, ci, linked, linkOf[ci]) {
            report.appendCitationFindings(ci, citations[ci], linked[linkOf[ci]], to: &findings)
        }
        findings += report.referenceFindings(canonical: canonical)
        document.citations = citations
        document.references = refs
        document.findings += findings
    }

    /// Links the found citations to the entries, in text order so an inherited citation sees its
    /// parent's final names; also each entry's first-author key and first copy. (The linker, which
    /// holds the entries, is gone when this returns: the caller's entries are then its own to
    /// update, with no copy of the list.)
    static func link(_ found: consuming [FoundCitation], _ refs: [Reference], options: Linker.Options)
        -> (founds: [FoundCitation], links: [LinkResult], firstAuthorKeys: [String], canonical: [Int]) {
        // (found and link results in two arrays, read in place: no tuple copied to be filtered and
        // sorted; the found citations updated in place, with no copy of each)
        var founds = found
        // no entries, as in most documents without a references section: every citation is an
        // orphan, so no linker is built and no cited name is keyed
        guard !refs.isEmpty else {
            for i in founds.indices { inheritNames(&founds, i) }
            return (founds, [LinkResult](repeating: LinkResult(), count: founds.count), [], [])
        }
        let linker = Linker(refs, options: options)
        var linked: [LinkResult] = []
        linked.reserveCapacity(founds.count)
        for i in founds.indices {
            inheritNames(&founds, i)
            // (the found citation read in place: no copy of it for the call; the result settled
            // where it lies in the list, with no copy of it either)
            linked.append(founds.withUnsafeBufferPointer { linker.link($0.baseAddress! + i) })
            let l = linked.count - 1
            if let (text, start) = linked[l].trimmedFirstAuthor {
                if founds[i].inheritsFrom == nil { founds[i].citation.span.start = start }
                founds[i].citation.authors[0] = text
                founds[i].firstAuthorWords.removeAll { $0.start < start }
                linked[l].trimmedFirstAuthor = nil
            }
            founds[i].citation.references = linked[l].references
            if !linked[l].defects.isEmpty { founds[i].citation.defects += linked[l].defects }
        }
        return (founds, linked, linker.firstAuthorKeys, linker.canonical)
    }

    /// A citation that inherits its names (`(2019, 2020)` after `Smith`) takes its parent's, which
    /// linking has already settled (text order).
    static func inheritNames(_ founds: inout [FoundCitation], _ i: Int) {
        guard let p = founds[i].inheritsFrom else { return }
        founds[i].citation.authors = founds[p].citation.authors
        founds[i].firstAuthorWords = founds[p].firstAuthorWords
    }
}
