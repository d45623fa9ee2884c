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
    }

    public init() {
        linkOptions = Linker.Options()
        maxGroupBytes = 300
    }

    public func process(_ document: inout Document) throws {
        let section = document.referencesSection ?? ReferenceSectionLocator.locate(in: document)
        var refs = section.map { ReferenceParser().parse(document, section: $0) } ?? []
        var finder = CitationFinder()
        finder.maxGroupBytes = maxGroupBytes
        let found = finder.find(document.textBytes, excluding: section?.span)
        let linker = Linker(refs, options: linkOptions)

        // link, in text order so an inherited citation sees its parent's final names
        var items: [(found: FoundCitation, link: LinkResult)] = []
        items.reserveCapacity(found.count)
        for var f in found {
            if let p = f.inheritsFrom {
                let parent = items[p]
                f.citation.authors = parent.found.citation.authors
                f.firstAuthorWords = parent.found.firstAuthorWords
            }
            var link = linker.link(f)
            if let (text, start) = link.trimmedFirstAuthor {
                if f.inheritsFrom == nil { f.citation.span.start = start }
                f.citation.authors[0] = text
                f.firstAuthorWords = f.firstAuthorWords.filter { $0.start >= start }
                link.trimmedFirstAuthor = nil
            }
            f.citation.references = link.references
            f.citation.defects += link.defects
            items.append((f, link))
        }
        // weak shapes count only when they resolve; `Name 2019` (no comma) only where the document
        // itself cites single authors that way
        var resolvedLoose = 0
        for item in items where item.found.loose && !item.link.references.isEmpty { resolvedLoose += 1 }
        let looseStyle = resolvedLoose >= 2
        // (indices, so the items are not copied to be filtered and sorted)
        var kept = items.indices.filter {
            guard items[$0].link.references.isEmpty else { return true }
            return !items[$0].found.weak && (!items[$0].found.loose || looseStyle)
        }
        kept.sort { items[$0].found.citation.span.start < items[$1].found.citation.span.start }
        // drop overlaps (a narrative reading over a parenthetical one)
        var citations: [Citation] = []
        var links: [LinkResult] = []
        citations.reserveCapacity(kept.count)
        links.reserveCapacity(kept.count)
        for k in kept {
            if let last = citations.last, items[k].found.citation.span.start < last.span.end { continue }
            citations.append(items[k].found.citation)
            links.append(items[k].link)
        }
        for (ci, c) in citations.enumerated() {
            for r in c.references { refs[r].citedBy.append(ci) }
        }
        let report = CitationFindings(text: document.textBytes, refs: refs, firstAuthorKeys: linker.keys.map { $0.first ?? "" })
        var findings: [Finding] = []
        for (ci, c) in citations.enumerated() { findings += report.citationFindings(ci, c, links[ci]) }
        findings += report.referenceFindings(canonical: linker.canonical)
        document.citations = citations
        document.references = refs
        document.findings += findings
    }
}
