import AssayCore
import Testing
@testable import Screening

/// The topic-mismatch message is written as bytes into one buffer (`TopicScreen.message`): it must
/// be the sentence its parts make, for every combination of them (names, year, shared words,
/// related terms, fields, keyword stuffing), outside ASCII too.
struct MessageTests {
    /// The message as the parts make it, written with string interpolation.
    static func sentence(_ j: TopicJudgment, _ document: Document, articleFields: [String]) -> String {
        let ref = document.references[j.references[0]]
        var who = ref.authors.first?.family ?? document.string(document.citations[j.citation].span)
        if ref.authors.count > 2 { who += " et al." } else if ref.authors.count == 2 { who += " and \(ref.authors[1].family)" }
        if let y = ref.year { who += " (\(y)\(ref.yearSuffix ?? ""))" }
        var m = "\(who) is cited for '\(j.citedFor.isEmpty ? "this passage" : j.citedFor.joined(separator: ", "))'"
        m += "; the work is about '\(j.about.joined(separator: ", "))'"
        if !j.workFields.isEmpty, let f = j.field, f < 0.5 {
            m += " (\(j.workFields.joined(separator: ", ")); this article: \(articleFields.joined(separator: ", ")))"
        }
        if j.shared.isEmpty && j.related.isEmpty {
            m += "; it shares no term with the passage"
        } else if j.related.isEmpty {
            m += "; the passage shares only '\(j.shared.joined(separator: ", "))'"
        } else {
            let related = "related terms ('\(j.related.joined(separator: "', '"))')"
            m += j.shared.isEmpty ? "; the passage shares only \(related)" : "; the passage shares only '\(j.shared.joined(separator: ", "))' and \(related)"
        }
        if !j.stuffing.isEmpty {
            m += ", and its title shares '\(j.stuffing.joined(separator: ", "))' with this article's own title, which the article does not otherwise use: the work may have been chosen for the words"
        }
        m += ". Check that it supports the claim."
        return m
    }

    @Test func everyCombinationOfParts() throws {
        let text = "Tomaševski (2019) and Kai [2] wrote."
        var d = Document(source: "t.txt", raw: Array(text.utf8))
        d.textBytes = Array(text.utf8)
        d.citations = [Citation(span: Span(0, 18), style: .narrative, authors: ["Tomaševski"], etAl: false, year: "2019"),
                       Citation(span: Span(23, 30), style: .parenthetical, authors: ["Kai"], etAl: false, year: "")]
        let authorLists: [[PersonName]] = [
            [], [PersonName(family: "Tomaševski", given: "K.")], [PersonName(family: "Khan"), PersonName(family: "Bibi")],
            [PersonName(family: "Kai"), PersonName(family: "Li"), PersonName(family: "Wu")],
        ]
        for (n, authors) in authorLists.enumerated() {
            d.references.append(Reference(span: Span(0, 1), authors: authors, year: n % 2 == 0 ? "2019" : nil,
                                          yearSuffix: n == 2 ? "b" : nil, title: "A title"))
        }
        let screen = TopicScreen(vocabulary: try Fixtures.stage.vocabulary, options: TopicOptions())
        let lists: [[String]] = [[], ["human rights"], ["enforced disappearance", "Balochistan", "šest"]]
        var checked = 0
        for r in d.references.indices {
            for citedFor in lists {
                for shared in lists {
                    for related in lists {
                        for stuffing in [lists[0], lists[1]] {
                            for field in [nil, 0.2, 0.8] as [Double?] {
                                for workFields in [lists[0], lists[2]] {
                                    let j = TopicJudgment(citation: r % 2, references: [r], score: 0.1, passage: 0, article: 0,
                                                          field: field, stuffing: stuffing, workFields: workFields,
                                                          citedFor: citedFor, about: related.reversed(), shared: shared,
                                                          related: related.map { "\($0) ~ disappearance" })
                                    let fields = ["law", "pólitics"]
                                    #expect(screen.message(j, d, articleFields: fields) == Self.sentence(j, d, articleFields: fields))
                                    checked += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 4 * 3 * 3 * 3 * 2 * 3 * 2)
    }
}
