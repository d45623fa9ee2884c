import AssayCore
import Foundation
import Testing

@testable import Ingest

/// The repository root, found from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func corpusFile(_ relative: String) throws -> [UInt8] {
    let url = repoRoot.appendingPathComponent("corpus/" + relative)
    return try [UInt8](Data(contentsOf: url))
}

func ingest(_ text: String, source: String = "t.txt") throws -> Document {
    try ingestDocument(source: source, bytes: Array(text.utf8))
}

func blockTexts(_ d: Document) -> [String] { d.blocks.map { d.string($0.span) } }

@Suite struct DecodingTests {
    @Test func utf8WithAndWithoutMark() throws {
        #expect(try TextDecoding.decode(Array("Möser".utf8)).encoding == "UTF-8")
        let marked = try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Möser".utf8))
        #expect(marked.utf8 == Array("Möser".utf8))
    }

    @Test func utf16BothByteOrders() throws {
        let s = "Tomaševski 𝐀"
        let le = try TextDecoding.decode([0xFF, 0xFE] + s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(le.encoding == "UTF-16LE" && le.utf8 == Array(s.utf8))
        let be = try TextDecoding.decode([0xFE, 0xFF] + s.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        #expect(be.encoding == "UTF-16BE" && be.utf8 == Array(s.utf8))
    }

    @Test func windows1252Fallback() throws {
        let d = try TextDecoding.decode([0x93, 0x71, 0x94, 0x20, 0x96, 0x20, 0x80, 0xE9])
        #expect(d.encoding == "windows-1252")
        #expect(String(decoding: d.utf8, as: UTF8.self) == "“q” – €é")
    }

    @Test func declaredCharsetIsUsedForNonUTF8Bytes() throws {
        // ISO-8859-2: 0xB9 is š.
        let html = Array("<html><head><meta charset=\"iso-8859-2\"></head><body><p>Tomа".utf8.prefix(56)) + [0xB9, 0x65]
        let d = try TextDecoding.decode(html)
        #expect(d.encoding == "iso-8859-2")
        #expect(String(decoding: d.utf8, as: UTF8.self).hasSuffix("še"))
    }

    @Test func binaryInputIsAnErrorNotGarbage() {
        #expect(throws: InputError.self) { try TextDecoding.decode(Array("%PDF-1.7\n".utf8) + [0, 1, 2]) }
        #expect(throws: InputError.self) { try TextDecoding.decode([0x00, 0x01, 0x02, 0x00, 0xFF, 0x00, 0x13, 0x00, 0x00, 0x9A]) }
        #expect(throws: InputError.self) { try TextDecoding.decode([]) }
        var controls = [UInt8](repeating: 0x41, count: 200)
        for i in stride(from: 0, to: 200, by: 5) { controls[i] = 0x01 }
        #expect(throws: InputError.self) { try TextDecoding.decode(controls) }
    }

    @Test func sampleFilesDecode() throws {
        let w = try ingestDocument(source: "windows-1252.txt", bytes: corpusFile("samples/windows-1252.txt"))
        #expect(w.encoding == "windows-1252")
        #expect(w.text.contains("José Muñoz") && w.text.contains("“blasphemy laws” —") && w.text.contains("€40"))
        let u = try ingestDocument(source: "utf16-bom.txt", bytes: corpusFile("samples/utf16-bom.txt"))
        #expect(u.encoding == "UTF-16LE")
        #expect(u.text.contains("انسانی حقوق") && u.text.contains("𝐀 (mathematical bold A)"))
    }
}

@Suite struct MediaTypeTests {
    @Test func seedsAreReadAsWhatTheyAre() throws {
        let md = try ingestDocument(source: "004.txt", bytes: corpusFile("seeds/004_77903b2262417d41.txt"))
        #expect(md.mediaType == .markdown)
        let plain = try ingestDocument(source: "000.txt", bytes: corpusFile("seeds/000_4fe64ac04db547c2.txt"))
        #expect(plain.mediaType == .plain)
    }

    @Test func contentBeatsTheFileName() {
        #expect(MediaSniffer.detect(Array("<!DOCTYPE html><html><body><p>x</p></body></html>".utf8), path: "a.txt") == .html)
        #expect(MediaSniffer.detect(Array("  <!-- saved page -->\n<html lang=en><p>x".utf8), path: "page") == .html)
        #expect(MediaSniffer.detect(Array("Just words about CEDAW.\n\nMore words.".utf8), path: "a.html") == .plain)
        #expect(MediaSniffer.detect(Array("## Heading\n\nMail <a href=\"mailto:x@y.z\">x@y.z</a>\n".utf8), path: "a.txt") == .markdown)
    }
}

@Suite struct PlainTextTests {
    @Test func seed004KeepsItsParagraphsAndDropsMarkup() throws {
        let d = try ingestDocument(source: "004.txt", bytes: corpusFile("seeds/004_77903b2262417d41.txt"))
        let text = d.text
        #expect(!text.contains("**") && !text.contains("<a ") && !text.contains("</a>") && !text.contains("##"))
        #expect(text.contains("Pakistan uroojbashir@gmail.com"))
        #expect(text.hasPrefix("From Convention to Action: The Implementation of International Women's Rights Treaties\n\n"))
        let paragraphs = d.blocks.filter { $0.kind == .paragraph }
        // 51 blank-line-separated paragraphs in the file, 16 of them halves of one split by a page break.
        #expect(paragraphs.count == 35)
        #expect(!paragraphs.contains { d.textBytes[$0.span.start] >= 0x61 && d.textBytes[$0.span.start] <= 0x7A })
        // The page break inside "resulting in a / significant implementation gap" is repaired.
        #expect(text.contains("resulting in a significant implementation gap."))
        #expect(text.contains("Adopted by the United Nations General Assembly in 1979 and entering into force in 1981"))
        #expect(blockTexts(d).contains("1. Education and Awareness Campaigns: Public education campaigns can play a crucial role in changing societal attitudes towards gender roles and stereotypes. These campaigns should highlight the value of gender equality, challenge harmful stereotypes, and promote positive representations of women in diverse roles. Schools should incorporate gender equality into their curricula to foster inclusive attitudes from a young age."))
        // Italics of the reference list are kept as hints.
        let emphasized = d.emphasis.map { d.string($0) }
        #expect(emphasized.contains("International Studies Quarterly"))
    }

    @Test func seed000PageBreaksAreRepaired() throws {
        let d = try ingestDocument(source: "000.txt", bytes: corpusFile("seeds/000_4fe64ac04db547c2.txt"))
        let text = d.text
        #expect(text.contains("(Padía & Traxler, 2023). Among the specific goals are:"))
        #expect(text.contains("social inclusion are needed (Suess Schwend, 2020)."))
        #expect(text.contains("the work of the Edhi Foundation, which provides critical social services"))
        #expect(text.contains("in students from an early age (Cole, 2022)."))
        #expect(text.contains("In *2020 IEEE") == false && text.contains("In 2020 IEEE Intelligent Vehicles Symposium (IV) (pp. 1583-1588)."))
        // Table rows keep their cells, tab-separated.
        #expect(blockTexts(d).contains("1947-1958\tPost-Independence Era\tInitial efforts to establish democratic institutions"))
    }

    @Test func hardWrappedLinesJoinAndLineEndHyphensAreRepaired() throws {
        let d = try ingestDocument(source: "hard-wrapped.txt", bytes: corpusFile("samples/hard-wrapped.txt"))
        let text = d.text
        #expect(text.contains("answered petitions about"))  // peti- / tions
        #expect(text.contains("Yet the Anti-Terrorism Act 1997"))  // a real hyphen stays
        #expect(text.contains("Its record is a well-known source"))  // "well-known" is written so elsewhere
        #expect(text.contains("The Convention for the Protection"))
        #expect(text.contains("argue that the international pressure"))
        // The page break with a page number, inside a sentence and inside a citation.
        #expect(text.contains("and that the courts should apply the existing guarantees before waiting for new statutes (Baloch and Rind, 2021)."))
        #expect(!text.contains("12") || !text.contains(" 12 "))
        let refs = d.blocks.filter { $0.kind == .paragraph }.map { d.string($0.span) }.filter { $0.hasPrefix("Baloch, N.") }
        #expect(refs == ["Baloch, N. and Rind, K. (2021). Courts, commissions and the politics of disappearance in Pakistan. Asian Journal of Comparative Law, 16(1), 88-110."])
    }

    @Test func hyphenRulesOneByOne() throws {
        let wrapped = "The com-\nmittee met the well-\nknown Anti-\nTerrorism court and a well-known judge and a long line that pads\nthe paragraph out to look like hard-wrapped text of a normal width.\n"
        let t = try ingest(wrapped).text
        #expect(t == "The committee met the well-known Anti-Terrorism court and a well-known judge and a long line that pads the paragraph out to look like hard-wrapped text of a normal width.")
    }

    @Test func markdownInlineMarkup() throws {
        let md = "## **Title** here\n\nSee [the report](https://example.org/r) by *HRCP* and __NCHR__, `code`, &amp; <b>bold</b> text.\n"
        let d = try ingest(md)
        #expect(d.mediaType == .markdown)
        #expect(blockTexts(d) == ["Title here", "See the report by HRCP and NCHR, code, & bold text."])
        #expect(d.blocks.map(\.kind) == [.heading, .paragraph])
        #expect(d.emphasis.map { d.string($0) }.contains("HRCP"))
    }

    @Test func listsAndPipeTables() throws {
        let md = "# Lists\n\n- first item\n- second item\n\n| Law | Year |\n|---|---|\n| PECA | 2016 |\n"
        let d = try ingest(md)
        #expect(blockTexts(d) == ["Lists", "first item", "second item", "Law\tYear", "PECA\t2016"])
        #expect(d.text == "Lists\n\nfirst item\nsecond item\n\nLaw\tYear\nPECA\t2016")
    }

    @Test func outputIsNFC() throws {
        let decomposed = "Mo\u{0308}ser and Tomas\u{030C}evski wrote this paragraph of text."
        let d = try ingest(decomposed)
        #expect(d.text == "Möser and Tomaševski wrote this paragraph of text.")
        #expect(d.textBytes == Array("Möser and Tomaševski wrote this paragraph of text.".utf8))
    }

    @Test func sourceMapPointsBackIntoTheInput() throws {
        let input = "Title line\n\nFirst para-\ngraph of the text that goes on for a while to be wrapped text.\nSecond line."
        let d = try ingest(input)
        let bytes = Array(input.utf8)
        let at = try #require(d.text.range(of: "Second"))
        let offset = d.text.utf8.distance(from: d.text.startIndex, to: at.lowerBound)
        let source = d.sourceMap.sourceOffset(forTextOffset: offset)
        #expect(String(decoding: bytes[source..<(source + 6)], as: UTF8.self) == "Second")
        let lc = lineAndColumn(in: bytes, at: source)
        #expect(lc.line == 5 && lc.column == 1)
    }
}

@Suite struct SectionTests {
    func section(_ d: Document, _ kind: Section.Kind) -> String? {
        d.sections.first { $0.kind == kind }.map { d.string($0.span) }
    }

    @Test func seed000Sections() throws {
        let d = try ingestDocument(source: "000.txt", bytes: corpusFile("seeds/000_4fe64ac04db547c2.txt"))
        #expect(d.title == "NAVIGATING THE INTERSECTION OF INTERNATIONAL POLITICS AND HUMAN RIGHTS: A CRITICAL ANALYSIS OF PAKISTAN'S COMPLIANCE AND CHALLENGES")
        #expect(section(d, .frontMatter)?.hasPrefix("Fazzal Abbas") == true)
        #expect(section(d, .frontMatter)?.hasSuffix("qasimmalik71@gmail.com") == true)
        #expect(section(d, .abstract)?.hasPrefix("ABSTRACT\n\nThis study examines") == true)
        #expect(section(d, .keywords)?.hasPrefix("Keywords: Pakistan, Human Rights") == true)
        let refs = try #require(d.sections.first { $0.kind == .references })
        #expect(refs.label == "REFERENCES")
        #expect(d.string(refs.span).hasPrefix("REFERENCES\n\nKai, S., Wang, B."))
        #expect(d.string(refs.span).hasSuffix("equal before Allah, unequal before man?. Brill."))
        #expect(d.sections.filter { $0.kind == .table }.count == 10)
        #expect(d.sections.filter { $0.kind == .heading }.map(\.label).contains("LITERATURE REVIEW"))
        #expect(section(d, .body)?.hasPrefix("INTRODUCTION") == true)
    }

    @Test func seed004Sections() throws {
        let d = try ingestDocument(source: "004.txt", bytes: corpusFile("seeds/004_77903b2262417d41.txt"))
        #expect(d.title == "From Convention to Action: The Implementation of International Women's Rights Treaties")
        #expect(section(d, .frontMatter)?.hasPrefix("Urooj Bashir (Corresponding Author)") == true)
        #expect(section(d, .abstract)?.hasPrefix("Abstract: This article explores") == true)
        #expect(section(d, .keywords)?.hasPrefix("Keywords: Women's rights, CEDAW") == true)
        #expect(d.sections.first { $0.kind == .references }?.label == "REFERENCES")
        #expect(section(d, .references)?.hasSuffix("London: Palgrave Macmillan UK.") == true)
    }

    @Test func headingGluedToTheLineBeforeIsSplitOff() throws {
        let d = try ingestDocument(source: "001.txt", bytes: corpusFile("seeds/001_f82b43d4eb800135.txt"))
        #expect(section(d, .keywords) == "Keywords:\n\nHuman Rights Defenders (HRDs),Pakistan, Legal repression, Civil liberties, Freedom of expression, PECA, ATA, Blasphemy laws, Digital surveillance, Enforced disappearances, WHRDs, Minority rights, Judicial response, Media freedom, UN Declaration on HRDs")
        #expect(section(d, .abstract)?.hasPrefix("Abstract\n\nHuman rights defenders (HRDs) in Pakistan") == true)
    }

    @Test func referencesHeadingVariants() throws {
        for label in ["References", "## Bibliography", "WORKS CITED", "5. Reference list", "Sources:"] {
            let d = try ingest("A title\n\nSome body text that says something (Smith, 2020).\n\n\(label)\n\nSmith, J. (2020). A book. Publisher.\n")
            let refs = try #require(d.sections.first { $0.kind == .references }, "\(label)")
            #expect(d.string(refs.span).hasSuffix("Smith, J. (2020). A book. Publisher."))
        }
    }
}
