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
        var found = finder.find(document.textBytes, excluding: section?.span)
        let (linked, firstAuthorKeys, canonical) = Self.link(&found, refs, options: linkOptions)
        // weak shapes count only when they resolve; `Name 2019` (no comma) only where the document
        // itself cites single authors that way
        var resolvedLoose = 0
        for k in found.indices where found.notes[k].loose && !found.citations[k].references.isEmpty { resolvedLoose += 1 }
        let looseStyle = resolvedLoose >= 2
        var kept = found.indices.filter {
            guard found.citations[$0].references.isEmpty else { return true }
            return !found.notes[$0].weak && (!found.notes[$0].loose || looseStyle)
        }
        // (the citations read in place, by index: no copy of each)
        var starts: [Int] = []
        starts.reserveCapacity(found.count)
        for k in found.indices { starts.append(found.citations[k].span.start) }
        kept.sort { starts[$0] < starts[$1] }
        // drop overlaps (a narrative reading over a parenthetical one)
        var citations = take(&found.citations)
        // (each citation's link result read where it is, by index: no copy of it)
        let linkOf = Self.keep(kept, of: &citations, starts: starts)
        for ci in citations.indices {
            // (the list read in place by index: a `for` over it would retain it)
            for k in citations[ci].references.indices { refs[citations[ci].references[k]].citedBy.append(ci) }
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

    /// Keeps the citations `kept` lists (sorted by start), in its order, but for one that starts
    /// before the last one kept ends; returns the index each one kept had. In place, each moved to
    /// an index at or before its own with no copy of it, when `kept` is increasing, as it is for
    /// citations found in text order; else copied in that order.
    static func keep(_ kept: [Int], of citations: inout [Citation], starts: [Int]) -> [Int] {
        var from: [Int] = []
        from.reserveCapacity(kept.count)
        var lastEnd = Int.min
        guard kept.indices.dropFirst().allSatisfy({ kept[$0 - 1] < kept[$0] }) else {
            var inOrder: [Citation] = []
            inOrder.reserveCapacity(kept.count)
            for k in kept {
                if !inOrder.isEmpty, starts[k] < lastEnd { continue }
                inOrder.append(citations[k])
                from.append(k)
                lastEnd = citations[k].span.end
            }
            citations = inOrder
            return from
        }
        for k in kept {
            if !from.isEmpty, starts[k] < lastEnd { continue }
            // (`from.count <= k`: the citations after `k`, kept or not, are not moved yet)
            citations.swapAt(from.count, k)
            lastEnd = citations[from.count].span.end
            from.append(k)
        }
        citations.removeSubrange(from.count...)
        return from
    }

    /// Links the found citations to the entries, in text order so an inherited citation sees its
    /// parent's final names (the found citations updated in place, with no copy of each); also each
    /// entry's first-author key and first copy. (The linker, which holds the entries, is gone when
    /// this returns: the caller's entries are then its own to update, with no copy of the list.)
    static func link(_ found: inout FoundCitations, _ refs: [Reference], options: Linker.Options)
        -> (links: [LinkResult], firstAuthorKeys: [String], canonical: [Int]) {
        // no entries, as in most documents without a references section: every citation is an
        // orphan, so no linker is built and no cited name is keyed
        guard !refs.isEmpty else {
            for i in found.indices { inheritNames(&found, i) }
            return ([LinkResult](repeating: LinkResult(), count: found.count), [], [])
        }
        let linker = Linker(refs, options: options)
        var linked: [LinkResult] = []
        linked.reserveCapacity(found.count)
        for i in found.indices {
            inheritNames(&found, i)
            // (the found citation read in place: no copy of it for the call; the result settled
            // where it lies in the list, with no copy of it either)
            linked.append(found.citations.withUnsafeBufferPointer { c in
                found.notes.withUnsafeBufferPointer { n in linker.link(c.baseAddress! + i, n.baseAddress! + i) }
            })
            let l = linked.count - 1
            if let (text, start) = linked[l].trimmedFirstAuthor {
                if found.notes[i].inheritsFrom == nil { found.citations[i].span.start = start }
                found.citations[i].authors[0] = text
                found.notes[i].firstAuthorWords.removeAll { $0.start < start }
                linked[l].trimmedFirstAuthor = nil
            }
            // (moved, not shared: the citation's references are read from here on)
            found.citations[i].references = take(&linked[l].references)
            if !linked[l].defects.isEmpty { found.citations[i].defects += linked[l].defects }
        }
        return (linked, linker.firstAuthorKeys, linker.canonical)
    }

    /// A citation that inherits its names (`(2019, 2020)` after `Smith`) takes its parent's, which
    /// linking has already settled (text order).
    static func inheritNames(_ found: inout FoundCitations, _ i: Int) {
        guard let p = found.notes[i].inheritsFrom else { return }
        found.citations[i].authors = found.citations[p].authors
        found.notes[i].firstAuthorWords = found.notes[p].firstAuthorWords
    }
}
