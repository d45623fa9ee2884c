import Foundation
import Testing
@testable import Ingest
import AssayCore
import CLibXML2

// MARK: helpers

private func samplePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("corpus/samples/\(name)").path
}

private func loadSample(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: samplePath(name))))
}

private func extract(_ html: String) -> IngestedText {
    HTMLExtractor.extract(utf8: Array(html.utf8))
}

private struct B: Equatable, CustomStringConvertible {
    var kind: Block.Kind
    var level: Int
    var text: String
    init(_ kind: Block.Kind, _ level: Int, _ text: String) {
        self.kind = kind
        self.level = level
        self.text = text
    }
    var description: String { "\(kind.rawValue)/\(level): \(text)" }
}

/// Each block as (kind, level, text[start..<end]).
private func blocks(_ t: IngestedText) -> [B] {
    t.blocks.map { B($0.kind, $0.level, String(decoding: t.bytes[$0.span.range], as: UTF8.self)) }
}

private func emphasized(_ t: IngestedText) -> [String] {
    t.emphasis.map { String(decoding: t.bytes[$0.range], as: UTF8.self) }
}

// MARK: the sample article page

private let sampleBlocks: [B] = [
    B(.title, 0, "Blasphemy accusations rise again, HRCP annual report finds"),
    B(.paragraph, 0, "The Human Rights Commission of Pakistan (HRCP) says accusations of blasphemy rose again last year, and that most of those accused were never given a fair hearing. Its annual report, released in Lahore on Thursday, describes a pattern of mob violence, forced confessions and years of pre-trial detention."),
    B(.paragraph, 0, "\u{201C}The law is used to settle scores over land, business and faith,\u{201D} the commission\u{2019}s chairperson told reporters \u{2014} adding that police too often register a case before they verify a single fact. Earlier research found the same pattern in district courts, where acquittals come only on appeal (Khan, 2021)."),
    B(.heading, 2, "Who is accused"),
    B(.paragraph, 0, "According to the report, members of religious minorities remain over-represented among the accused, although Muslims make up the largest group in absolute numbers. Ahmadis, Christians and Hindus are singled out in public speeches, on social media and, increasingly, in WhatsApp groups that spread doctored screenshots."),
    B(.paragraph, 0, "Lawyers who defend the accused face threats as well. One defence counsel in Multan, who asked not to be named, said that hearings are moved behind closed doors \u{201C}for security reasons\u{201D} and that judges are reluctant to grant bail even in weak cases, a finding reported in the Pakistan Law Review and echoed by M\u{00F6}ser\u{2019}s study of trial records (M\u{00F6}ser, 2020)."),
    B(.paragraph, 0, "Cases registered, by province"),
    B(.tableRow, 0, "Province\tCases\tPersons accused"),
    B(.tableRow, 0, "Punjab\t92\t131"),
    B(.tableRow, 0, "Sindh\t27\t35"),
    B(.tableRow, 0, "Khyber Pakhtunkhwa\t14\t19"),
    B(.heading, 2, "What the commission recommends"),
    B(.paragraph, 0, "The report asks the federal and provincial governments to act on three recommendations:"),
    B(.listItem, 1, "Require a senior police officer to investigate every complaint before a case is registered."),
    B(.listItem, 1, "Punish false accusations under the existing provisions of the Penal Code."),
    B(.listItem, 1, "Protect judges, lawyers and witnesses in blasphemy trials."),
    B(.paragraph, 0, "The commission also recalls the \u{201C}4-A\u{201D} framework of Katarina Toma\u{0161}evski, the former UN Special Rapporteur, who argued that schools must be acceptable to children of every faith; textbooks that vilify minorities, the report says, prepare the ground for later accusations."),
    B(.paragraph, 0, "\u{201C}No one should have to prove their innocence to a crowd,\u{201D} the report concludes."),
    B(.heading, 2, "References"),
    B(.listItem, 1, "Khan, A. (2021). Blasphemy accusations and due process in Pakistan. Journal of South Asian Law, 2(1), 1-10."),
    B(.listItem, 1, "M\u{00F6}ser, L. (2020). Bail and fear in Punjab\u{2019}s trial courts. Pakistan Law Review, 11(2), 45-67."),
    B(.listItem, 1, "Rahman, T. (2018). Mob violence and the state. Asian Journal of Human Rights, 5(3), 201-219."),
]

@Test func samplePageBlocksAreTheArticle() throws {
    let t = HTMLExtractor.extract(utf8: try loadSample("article-page.html"))
    let got = blocks(t)
    #expect(got.count == sampleBlocks.count)
    for (g, e) in zip(got, sampleBlocks) {
        #expect(g == e)
    }
}

@Test func samplePageTextIsBlocksJoined() throws {
    let t = HTMLExtractor.extract(utf8: try loadSample("article-page.html"))
    // Two line breaks between blocks, one between rows of a table and between items of a list.
    var expected = ""
    for (k, b) in sampleBlocks.enumerated() {
        if k > 0 {
            let previous = sampleBlocks[k - 1].kind
            let tight = (previous == .tableRow && b.kind == .tableRow) || (previous == .listItem && b.kind == .listItem)
            expected += tight ? "\n" : "\n\n"
        }
        expected += b.text
    }
    #expect(t.string == expected)
    #expect(t.string.hasPrefix("Blasphemy accusations rise again, HRCP annual report finds\n\nThe Human Rights Commission"))
}

@Test func samplePageTitleAndKinds() throws {
    let t = HTMLExtractor.extract(utf8: try loadSample("article-page.html"))
    #expect(t.title == "Blasphemy accusations rise again, HRCP annual report finds")
    #expect(t.blocks.first?.kind == .title)
    #expect(t.blocks.filter { $0.kind == .title }.count == 1)
    #expect(t.blocks.filter { $0.kind == .heading }.map(\.level) == [2, 2, 2])
    #expect(t.blocks.filter { $0.kind == .tableRow }.count == 4)
    #expect(t.blocks.filter { $0.kind == .listItem }.count == 6)
    #expect(t.string.contains("Punjab\t92\t131"))
    #expect(emphasized(t) == ["Pakistan Law Review", "Journal of South Asian Law", "Pakistan Law Review",
                              "Asian Journal of Human Rights"])
}

@Test func samplePageKeepsNonASCII() throws {
    let t = HTMLExtractor.extract(utf8: try loadSample("article-page.html"))
    let s = t.string
    for word in ["Toma\u{0161}evski", "M\u{00F6}ser", "\u{201C}The law is used", "reporters \u{2014} adding",
                 "commission\u{2019}s", "(Khan, 2021)", "(M\u{00F6}ser, 2020)"] {
        #expect(s.contains(word), "missing \(word)")
    }
}

@Test func samplePageDropsBoilerplate() throws {
    let t = HTMLExtractor.extract(utf8: try loadSample("article-page.html"))
    let s = t.string
    let boilerplate = [
        // cookie banner
        "We use cookies", "Accept all cookies", "Manage cookie preferences",
        // navigation, header, breadcrumbs
        "Rights Monitor Pakistan", "News & analysis", "Donate now", "Campaigns", "Freedom of religion",
        // byline, share bar, tags
        "Sana Qureshi", "Share this article", "Facebook", "WhatsApp send", "Tags:", "minorities\n",
        // comments
        "thoughts on", "Imran B.", "COMMENT-MARKER-ONE", "COMMENT-MARKER-TWO", "Leave a reply", "Post comment",
        // sidebar: related, most read, newsletter
        "Related articles", "Ahmadi graves", "Jaranwala", "Most read", "PECA amendments", "Forced conversions",
        "weekly newsletter", "every Friday", "Your email address", "Subscribe",
        // footer
        "All rights reserved", "About us", "Privacy policy", "Contact",
        // script and style
        "SCRIPT-MARKER", "STYLE-MARKER", "dataLayer", "gtag", "font-family", "querySelectorAll",
    ]
    for b in boilerplate {
        #expect(!s.contains(b), "boilerplate leaked: \(b)")
    }
}

@Test func samplePageSourceOffsetsPointAtTheElementLine() throws {
    let bytes = try loadSample("article-page.html")
    let t = HTMLExtractor.extract(utf8: bytes)
    let file = String(decoding: bytes, as: UTF8.self)
    func lineStart(of needle: String) -> Int {
        let r = file.range(of: needle)!
        let prefix = file[..<r.lowerBound].utf8
        let lastNewline = prefix.lastIndex(of: 0x0A).map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0
        return lastNewline
    }
    let titleBlock = t.blocks[0]
    #expect(t.map.sourceOffset(forTextOffset: titleBlock.span.start) == lineStart(of: "<h1 class=\"entry-title\">"))
    let row = t.blocks.first { $0.kind == .tableRow && String(decoding: t.bytes[$0.span.range], as: UTF8.self).hasPrefix("Sindh") }!
    #expect(t.map.sourceOffset(forTextOffset: row.span.start) == lineStart(of: "<tr><td>Sindh</td>"))
}

@Test func sourceOffsetsPastLine65535() {
    // libxml2 counts lines in 16 bits unless asked for more; past 65,535 every block once pointed
    // at line 65,535. Short and long paragraphs: a long one is read through a placeholder.
    var page = "<html><head><title>Big page</title></head><body><article><h1>Big page</h1>\n"
    for i in 0..<70_000 { page += "<p>Filler paragraph \(i) about rights and the law in the province.</p>\n" }
    let long = String(repeating: "A long closing paragraph about the commission and the courts. ", count: 40)
    page += "<p>The short closing paragraph.</p>\n<p>\(long)</p>\n</article></body></html>\n"
    let bytes = Array(page.utf8)
    let t = HTMLExtractor.extract(utf8: bytes)
    func lineStart(of needle: String) -> Int {
        let at = page.range(of: needle)!.lowerBound
        return page[..<at].utf8.count
    }
    for needle in ["The short closing paragraph.", "A long closing paragraph"] {
        let block = t.blocks.first { String(decoding: t.bytes[$0.span.range], as: UTF8.self).hasPrefix(needle) }
        #expect(block.map { t.map.sourceOffset(forTextOffset: $0.span.start) } == lineStart(of: "<p>" + needle), "\(needle)")
    }
}

/// A paragraph of a thousand lines or more with no markup in it once stopped the whole batch: its
/// placeholder was longer than the chunk libxml2 reads, and the line correction went negative.
@Test(arguments: [500, 1_200, 3_000])
func paragraphsOfManyLinesMapToTheirSource(lines: Int) {
    let page = "<html><body><article><h1>Long</h1>\n<p>" + String(repeating: "line of text\n", count: lines)
        + "</p>\n<p>After the long one.</p>\n</article></body></html>\n"
    let t = HTMLExtractor.extract(utf8: Array(page.utf8))
    let long = t.blocks.first { String(decoding: t.bytes[$0.span.range], as: UTF8.self).hasPrefix("line of text") }
    #expect(long.map { t.bytes[$0.span.range].count } == lines * 13 - 1)
    let after = t.blocks.first { String(decoding: t.bytes[$0.span.range], as: UTF8.self) == "After the long one." }
    let expected = page.utf8.count - page[page.range(of: "<p>After")!.lowerBound...].utf8.count
    #expect(after.map { t.map.sourceOffset(forTextOffset: $0.span.start) } == expected)
}

/// A tag of thousands of attributes took libxml2 the square of their number (160,000: 41 s): past
/// the first 256 they are blanked before parsing, line breaks kept, so the page reads the same and
/// its offsets and lines do not move.
@Test func crowdedTagsKeepTheirFirstAttributes() throws {
    let attributes = (0..<300).map { "a\($0)='v'" }.joined(separator: " \n")
    let page = "<html><body><article><h1>Crowded</h1>\n<p class='lead' \(attributes)>The paragraph of the crowded tag.</p>\n"
        + "<p>After it, a paragraph long enough to be kept out of the parser.</p>\n</article></body></html>\n"
    let utf8 = Array(page.utf8)
    let t = HTMLExtractor.extract(utf8: utf8)
    #expect(blocks(t).map(\.text) == ["Crowded", "The paragraph of the crowded tag.",
                                      "After it, a paragraph long enough to be kept out of the parser."])
    let after = try #require(t.blocks.last)
    #expect(t.map.sourceOffset(forTextOffset: after.span.start) == page.utf8.count - page[page.range(of: "<p>After it")!.lowerBound...].utf8.count)
    try utf8.withUnsafeBufferPointer { source in
        var runs = HTextRuns(source: source)
        let replaced = runs.replaceRuns()
        #expect(replaced != nil)
        // class is the first attribute, so the blanks start at a255 (the 257th)
        let blank = try #require(runs.blanks.first)
        #expect(runs.blanks.count == 1)
        #expect(page.utf8.dropFirst(blank.lowerBound).starts(with: "a255='v'".utf8))
        let blanked = runs.blankedPage()
        #expect(blanked.count == utf8.count)
        #expect(blanked.indices.filter { blanked[$0] == 0x0A } == utf8.indices.filter { utf8[$0] == 0x0A })
        #expect(blanked[blank].allSatisfy { $0 == 0x20 || $0 == 0x0A })
        #expect(Array(blanked[..<blank.lowerBound]) == Array(utf8[..<blank.lowerBound]))
        #expect(Array(blanked[blank.upperBound...]) == Array(utf8[blank.upperBound...]))
    }
}

// MARK: inline text, white space, entities

@Test func whitespaceCollapsesAndInlineElementsJoin() {
    let t = extract("<p>  Hu<b>man</b>   rights\n\n are <i>universal</i> </p><p><b>Hu</b>man, <span>a</span> <span>b</span></p>")
    #expect(blocks(t) == [B(.paragraph, 0, "Human rights are universal"), B(.paragraph, 0, "Human, a b")])
    #expect(t.string == "Human rights are universal\n\nHuman, a b")
    #expect(emphasized(t) == ["universal"])
}

@Test func entitiesAreDecoded() {
    let t = extract("<p>Law &amp; order, caf&eacute; &#8212; x&nbsp;y &lt;tag&gt; &#x2019;s</p>")
    #expect(t.string == "Law & order, caf\u{00E9} \u{2014} x y <tag> \u{2019}s")
}

@Test func lineBreaks() {
    let t = extract("<p>line one<br>line two<br><br>line three</p>")
    #expect(blocks(t) == [B(.paragraph, 0, "line one line two"), B(.paragraph, 0, "line three")])
}

@Test func titleFromTitleElementWithoutSiteName() {
    let body = "<p>The commission documented cases of enforced disappearance in Balochistan, Sindh and Khyber Pakhtunkhwa, and asked the government to criminalize the practice.</p>"
    for (title, expected) in [("Enforced disappearances in 2023 | Rights Monitor", "Enforced disappearances in 2023"),
                              ("Enforced disappearances in 2023 - Rights Monitor", "Enforced disappearances in 2023"),
                              ("Enforced disappearances in 2023 \u{2013} Rights Monitor", "Enforced disappearances in 2023"),
                              ("Enforced disappearances in 2023 :: Rights Monitor", "Enforced disappearances in 2023")] {
        let t = extract("<html><head><title>\(title)</title></head><body>\(body)</body></html>")
        #expect(t.title == expected)
        #expect(t.blocks.first?.kind == .paragraph)
    }
}

@Test func titleIsTheHeadingTheTitleRepeats() {
    let items = (1...4).map { "<li>The State party should ensure that provision \($0) is applied in law and in practice, without discrimination.</li>" }
    let t = extract("<html><head><title>Recommendations | UN Treaty Body Database</title></head><body>"
        + "<div id='nav'><a href='/'>Home</a> <a href='/s'>Search</a></div>"
        + "<div id='main'><h2>Recommendations</h2><ol>\(items.joined())</ol></div></body></html>")
    #expect(t.title == "Recommendations")
    #expect(t.blocks.map(\.kind) == [.heading, .listItem, .listItem, .listItem, .listItem])
}

@Test(arguments: [
    ("Title of the Report | UK News | Sky News", "Title of the Report"),       // short trailing segments cut one by one
    ("Rights Monitor | Enforced disappearances in 2023", "Rights Monitor"),   // two words before the last separator: cut there
    ("HRCP | Enforced disappearances in 2023", "Enforced disappearances in 2023"), // one word before: the site comes first
    ("Blasphemy laws: a review of the cases | Monitor", "Blasphemy laws: a review of the cases"),
    ("Blasphemy laws : a review of the cases since 1986", "Blasphemy laws : a review of the cases since 1986"), // " : " then many words
    ("The annual report : HRCP", "The annual report"),                        // " : " then few words
    ("a | | b", "a |"),
])
func titleSeparatorRules(_ title: String, _ expected: String) {
    #expect(HTMLExtractor.cleanTitle(Array(title.utf8)) == expected)
}

@Test func titleHeadingBetweenOverlappingSeparators() {
    // This page once stopped the whole batch: the site's h1 sits outside the article, so the
    // <title> is matched against it, and its separators overlap.
    let page = extract("<html><head><title>News | | Home</title></head><body><header class='site-header'><h1>Home</h1></header>"
        + "<main><article><p>The commission documented cases of enforced disappearance in Balochistan, Sindh and Khyber "
        + "Pakhtunkhwa, and asked the government to criminalize the practice.</p></article></main></body></html>")
    #expect(page.title == "Home")
    // "a | | b" has separators at 1 and 3 that overlap: no segment lies between them.
    #expect(HTMLExtractor.cleanTitle(Array("Ab | | Cd".utf8), headings: [Array("Cd".utf8)]) == "Cd")
    #expect(HTMLExtractor.cleanTitle(Array("Ab | | Cd".utf8), headings: [Array("Ab".utf8)]) == "Ab")
}

@Test(arguments: [" | a", " : a b", " - ", "word "])
func titleCleaningIsLinear(_ unit: String) {
    func work(_ n: Int) -> Int {
        let counter = WorkCounter()
        WorkCounter.$current.withValue(counter) {
            _ = HTMLExtractor.cleanTitle(Array(("Some Title" + String(repeating: unit, count: n)).utf8))
        }
        return counter.steps
    }
    let w1 = work(5_000), w4 = work(20_000)
    #expect(w1 > 0)
    #expect(w4 <= 4 * w1 + 1_000, "\(unit): \(w1) -> \(w4)")
}

@Test func nestedListsHiddenElementsAndLinkParagraphs() {
    let t = extract("""
        <html><body><div class="doc">
        <p>The Committee makes the following recommendations to the State party, in line with its general comments.</p>
        <ol><li>On the death penalty:<ul><li>commute all death sentences;</li><li>restore the moratorium on executions.</li></ul></li>
        <li><p>On blasphemy:</p><p>repeal or amend the provisions.</p></li></ol>
        <div hidden>HIDDEN-ATTR</div><div aria-hidden="true">ARIA-HIDDEN</div>
        <div style="display: none">DISPLAY-NONE</div><p style="visibility:hidden">VIS-HIDDEN</p>
        <p><a href="/x">A paragraph that is nothing but one long link to another story</a></p>
        <p>A closing paragraph with a <a href="/y">link</a> inside ordinary prose, which stays.</p>
        </div></body></html>
        """)
    #expect(blocks(t) == [
        B(.paragraph, 0, "The Committee makes the following recommendations to the State party, in line with its general comments."),
        B(.listItem, 1, "On the death penalty:"),
        B(.listItem, 2, "commute all death sentences;"),
        B(.listItem, 2, "restore the moratorium on executions."),
        B(.listItem, 1, "On blasphemy: repeal or amend the provisions."),
        B(.paragraph, 0, "A closing paragraph with a link inside ordinary prose, which stays."),
    ])
}

@Test func declaredCharsetDoesNotOverrideUTF8Input() {
    // The caller has already decoded the page: a stale <meta charset> must not garble it.
    let t = extract("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head>"
        + "<body><p>M\u{00F6}ser and Toma\u{0161}evski \u{2014} caf&eacute;</p></body></html>")
    #expect(t.string == "M\u{00F6}ser and Toma\u{0161}evski \u{2014} caf\u{00E9}")
}

@Test func wrappersThatHoldThePageAreKept() {
    // A page hidden until a script reveals it, and an ASP.NET-style <form> with a layout table
    // around everything: the names say boilerplate, the paragraphs say article.
    let para = "<p>The tribunal found that the detention was arbitrary, and ordered the release of the applicant without delay.</p>"
    let hidden = extract("<html><body style=\"display:none\"><div id=\"app\" aria-hidden=\"true\"><h1>Decision</h1>"
        + para + para + "<div hidden>SECRET</div></div>"
        + "<div aria-hidden=\"true\" class=\"modal\"><p>Sign in to continue reading this article and many more.</p></div></body></html>")
    #expect(hidden.blocks.map(\.kind) == [.title, .paragraph, .paragraph])
    #expect(!hidden.string.contains("SECRET") && !hidden.string.contains("Sign in"))

    let form = extract("<html><body><form id=\"aspnetForm\" method=\"post\"><input type=hidden name=__VIEWSTATE value=abc>"
        + "<table><tr><td colspan=2><a href=/>Home</a> | <a href=/a>About</a></td></tr>"
        + "<tr><td><a href=/1>Judgments</a><br><a href=/2>Laws</a></td><td><b>Judgment summary</b><br><br>"
        + para + para + "<table border=1><tr><td>Court</td><td>Supreme Court</td></tr></table></td></tr></table>"
        + "</form></body></html>")
    #expect(blocks(form) == [
        B(.paragraph, 0, "Judgment summary"),
        B(.paragraph, 0, "The tribunal found that the detention was arbitrary, and ordered the release of the applicant without delay."),
        B(.paragraph, 0, "The tribunal found that the detention was arbitrary, and ordered the release of the applicant without delay."),
        B(.tableRow, 0, "Court\tSupreme Court"),
    ])
}

// MARK: robustness

@Test func malformedHTMLStillGivesText() {
    let t = extract("<div><p>First paragraph &amp; more<p>Second <b>bold</div></div><span>tail</span></td></table><li>item")
    #expect(blocks(t) == [B(.paragraph, 0, "First paragraph & more"), B(.paragraph, 0, "Second bold"),
                          B(.paragraph, 0, "tail"), B(.listItem, 1, "item")])
}

@Test func emptyAndWhitespaceInputGiveEmptyText() {
    for input in ["", " ", "\n\t  \r\n", "<html></html>", "<html><body>   </body></html>", "<!-- only a comment -->"] {
        let t = extract(input)
        #expect(t.bytes.isEmpty)
        #expect(t.blocks.isEmpty)
    }
    #expect(extract("").title == nil)
}

@Test func deepNestingDoesNotOverflow() {
    let html = "<p>before</p>" + String(repeating: "<div>", count: 10_000) + "deep text"
        + String(repeating: "</div>", count: 10_000) + "<p>after</p>"
    let t = extract(html)
    #expect(t.string == "before\n\ndeep text\n\nafter")
}

@Test func hostilePageShowsOnlyEscapedScriptText() throws {
    let t = HTMLExtractor.extract(utf8: try loadSample("hostile.html"))
    #expect(blocks(t) == [
        B(.title, 0, "Escaping test"),
        B(.paragraph, 0, "This page talks about the <script> element, which browsers run as code."),
        B(.paragraph, 0, "An image with an error handler follows. It must not leak its attribute."),
        B(.paragraph, 0, "Here is a link with a javascript URL inside a sentence of plain text."),
        B(.paragraph, 0, "Writing <script>alert(1)</script> in text is harmless when it is escaped."),
    ])
    #expect(!t.string.contains("pwned"))
    #expect(!t.string.contains("document.title"))
    #expect(!t.string.contains("onerror"))
}

@Test func concurrentExtractionAgrees() async throws {
    let bytes = try loadSample("article-page.html")
    let reference = HTMLExtractor.extract(utf8: bytes).bytes
    let results = await withTaskGroup(of: [UInt8].self) { group in
        for _ in 0..<8 { group.addTask { HTMLExtractor.extract(utf8: bytes).bytes } }
        var all: [[UInt8]] = []
        for await r in group { all.append(r) }
        return all
    }
    #expect(results.count == 8)
    #expect(results.allSatisfy { $0 == reference })
}

// MARK: text runs replaced before parsing

/// Extraction with long text runs replaced by placeholders must equal extraction of the page as it is.
private func expectSameAsUnreplaced(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    let fast = HTMLExtractor.extract(utf8: bytes, replacingRuns: true)
    let plain = HTMLExtractor.extract(utf8: bytes, replacingRuns: false)
    #expect(fast.bytes == plain.bytes, sourceLocation: sourceLocation)
    #expect(fast.blocks == plain.blocks, sourceLocation: sourceLocation)
    #expect(fast.map == plain.map, sourceLocation: sourceLocation)
    #expect(fast.emphasis == plain.emphasis, sourceLocation: sourceLocation)
    #expect(fast.title == plain.title, sourceLocation: sourceLocation)
}

/// How many runs a page gets replaced.
private func replacedRuns(_ html: String) -> Int {
    let bytes = Array(html.utf8)
    return bytes.withUnsafeBufferPointer { source in
        var runs = HTextRuns(source: source)
        return runs.replaceRuns() == nil ? 0 : runs.runs.count
    }
}

private let longSentence = "The commission found that the accused were held for years without trial, "
    + "and that the courts rarely granted bail even in weak cases. "

@Test func replacedRunsReadLikeThePage() throws {
    expectSameAsUnreplaced(try loadSample("article-page.html"))
    expectSameAsUnreplaced(try loadSample("hostile.html"))
    #expect(replacedRuns(String(decoding: try loadSample("article-page.html"), as: UTF8.self)) > 10)
}

@Test func replacedRunsKeepLineNumbersOfLongRuns() {
    // Runs over 1000 bytes, with line breaks on both sides of libxml2's first chunk.
    for breakAt in [10, 990, 998, 999, 1000, 1001, 1500] {
        var text = String(repeating: longSentence, count: 20)
        let i = text.utf8.index(text.utf8.startIndex, offsetBy: breakAt)
        text.replaceSubrange(i..<text.utf8.index(after: i), with: "\n")
        let html = "<html><head><title>Runs</title></head><body>\n<article><h1>Runs and lines</h1>\n<p>\(text)</p>\n"
            + "<p>Short one &amp; more text after an entity, and \(longSentence)</p>\n<p>\(text)\n\(text)</p></article></body></html>"
        #expect(replacedRuns(html) >= 3)
        expectSameAsUnreplaced(Array(html.utf8))
    }
}

@Test func replacedRunsFollowTheTokenizer() {
    let pages = [
        // Quoted attribute values holding '>' and quotes; a comment holding markup; script and style text.
        "<html><body><div class=\"a > b\" title='it\"s > here'>\(longSentence)</div>"
            + "<!-- <p>\(longSentence)</p> -- > still a comment -->"
            + "<script>var s = \"<p>\(longSentence)</p>\";</script><style>p::after { content: \"\(longSentence)\" }</style>"
            + "<article><p>\(longSentence)</p><p>\(longSentence) a > b</p></article></body></html>",
        // Text before the first element, stray '<', unknown and numeric references, CR LF line ends.
        "  \(longSentence)<html><body><p>\(longSentence) < \(longSentence)</p>"
            + "<p>&unknown;\(longSentence)&#8217;\(longSentence)&#x2014;\(longSentence)&nbsp;\(longSentence)</p>"
            + "<p>\(longSentence)\r\n\(longSentence)</p><p>&copy\(longSentence)</p></body></html>",
        // Unclosed quotes and tags, end tags with junk, an unterminated comment.
        "<html><body><p>\(longSentence)</p><div class=\"open>\(longSentence)</div><p>\(longSentence)</p>"
            + "</p junk>\(longSentence)<p a=b c d=\"e\" / f>\(longSentence)</p><!-- \(longSentence)",
        // A control character keeps its run in the page.
        "<html><body><p>\(longSentence)\u{1}\(longSentence)</p></body></html>",
    ]
    for html in pages { expectSameAsUnreplaced(Array(html.utf8)) }
    #expect(replacedRuns(pages[3]) == 0)
    // A page holding U+FDD0 (the placeholder mark) itself is parsed as it is.
    let marked = Array("<html><body><p>\(longSentence)</p><p>".utf8) + [0xEF, 0xB7, 0x90]
        + Array("AAAA \(longSentence)</p></body></html>".utf8)
    expectSameAsUnreplaced(marked)
    #expect(marked.withUnsafeBufferPointer { s in var runs = HTextRuns(source: s); return runs.replaceRuns() == nil })
}

@Test func choosingTheContentStaysLinearOnDeepNesting() {
    // Sections never closed: every heading sits one level deeper than the one before.
    func ancestorSteps(sections: Int) -> Int {
        var html = "<html><head><title>Deep</title></head><body>"
        for k in 0..<sections { html += "<div class=\"section\"><h1>Heading \(k)</h1><p>\(longSentence)</p>" }
        let bytes = Array((html + "</body></html>").utf8)
        return bytes.withUnsafeBufferPointer { source in
            guard let (nodes, runs) = HTMLExtractor.parse(source, replacingRuns: true) else { return -1 }
            var tree = HTree(nodes: nodes, lineStarts: HTMLExtractor.lineStarts(bytes), runs: runs)
            var writer = BlockWriter()
            _ = HTMLExtractor.extract(&tree, into: &writer)
            return tree.ancestorSteps
        }
    }
    let small = ancestorSteps(sections: 500)
    let large = ancestorSteps(sections: 2000)
    #expect(small > 500)
    #expect(large <= small * 5)
}
