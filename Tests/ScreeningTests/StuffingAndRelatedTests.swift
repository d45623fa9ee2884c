import AssayCore
import Foundation
import Testing
@testable import Screening

/// The keyword-stuffing rule counts only generic words (common in English, no field word or
/// related term, not written as a proper noun) and spares works of the article's own field.
@Suite struct KeywordStuffingRuleTests {
    func judgments(_ d: Document) throws -> [TopicJudgment] {
        try TopicScreen(vocabulary: Fixtures.stage.vocabulary, options: Fixtures.stage.topic!).judge(d).judgments
    }

    /// An article whose title has a generic word ('Navigating') and a place ('Balochistan'), with
    /// off-topic works sharing one or the other.
    func makeDocument(navigatingContainer: String) -> Document {
        var h = HandDocument()
        h.title("Navigating Refugee Law and State Sovereignty in Balochistan")
        h.heading("Refugee protection")
        h.paragraph([.text("States owe refugees protection against refoulement under the Refugee Convention ("),
                     .cite("Goodwin-Gill, 2007", 0), .text("). Asylum courts weigh the risk of persecution on return.")])
        h.heading("Borders")
        h.paragraph([.text("Border guards are trained in the use of force at crossings ("), .cite("Shah, 2020", 1), .text(").")])
        h.paragraph([.text("Camps are run by volunteers with little funding ("), .cite("Kim, 2021", 2), .text(").")])
        h.paragraph([.text("Border guards are rotated every month ("), .cite("Lee, 2019", 3), .text(").")])
        h.heading("References")
        h.reference("Goodwin-Gill, A., 2007. The refugee in international law. Oxford.", family: "Goodwin-Gill", year: "2007",
                    title: "The refugee in international law")
        h.reference("Shah, A., 2020. Groundwater depletion and crop yields in Balochistan. Agricultural Water Management.",
                    family: "Shah", year: "2020", title: "Groundwater depletion and crop yields in Balochistan",
                    container: "Agricultural Water Management")
        h.reference("Kim, A., 2021. Navigating unsignalized intersections with deep reinforcement learning. IEEE Transactions on Intelligent Vehicles.",
                    family: "Kim", year: "2021", title: "Navigating unsignalized intersections with deep reinforcement learning",
                    container: "IEEE Transactions on Intelligent Vehicles")
        h.reference("Lee, A., 2019. Navigating treaty obligations. \(navigatingContainer).", family: "Lee", year: "2019",
                    title: "Navigating treaty obligations", container: navigatingContainer)
        return h.document()
    }

    @Test func aPlaceSharedWithTheArticleTitleIsNoStuffing() throws {
        let d = makeDocument(navigatingContainer: "International Law Quarterly")
        let js = try judgments(d)
        let shah = try #require(js.first { $0.references == [1] })
        #expect(shah.stuffing.isEmpty, "\(shah.stuffing)")
        let kim = try #require(js.first { $0.references == [2] })
        #expect(kim.stuffing == ["Navigating"])
        // both are off topic all the same; only Kim's finding speaks of the article's title
        let topic = try Fixtures.screened(d).findings.filter { $0.kind == .topicMismatch }
        let shahFinding = try #require(topic.first { $0.references == [1] })
        #expect(!shahFinding.message.contains("own title"))
        let kimFinding = try #require(topic.first { $0.references == [2] })
        #expect(kimFinding.message.contains("'Navigating' with this article's own title"))
    }

    @Test func aWorkOfTheArticlesFieldIsSpared() throws {
        // 'Navigating treaty obligations' in a law journal: all its field words are the article's
        let law = try #require(try judgments(makeDocument(navigatingContainer: "International Law Quarterly")).first { $0.references == [3] })
        #expect(law.field == 1)
        #expect(law.stuffing.isEmpty)
        // the same title in an engineering venue is in a far field too: the generic word counts
        let far = try #require(try judgments(makeDocument(navigatingContainer: "IEEE Transactions on Intelligent Vehicles")).first { $0.references == [3] })
        #expect((far.field ?? 1) < 1)
        #expect(far.stuffing == ["Navigating"])
        #expect(far.score < law.score)
    }

    /// A common word written as a name ('Swat', the valley) is recognized by its capital inside
    /// a sentence-case title of the reference list, even where the article's and the work's
    /// titles (title case) say nothing.
    @Test func capitalsInSentenceCaseTitlesMarkAName() throws {
        func shah(_ other: String) throws -> TopicJudgment {
            var h = HandDocument()
            h.title("Navigating Refugee Law in Swat")
            h.paragraph([.text("Refugees returned to their villages after the floods ("), .cite("Khan, 2011", 0), .text(").")])
            h.paragraph([.text("Border guards are trained in the use of force at crossings ("), .cite("Shah, 2020", 1), .text(").")])
            h.reference("Khan, A., 2011. \(other). Peshawar.", family: "Khan", year: "2011", title: other)
            h.reference("Shah, A., 2020. Groundwater Depletion and Crop Yields Around Swat. Agricultural Water Management.",
                        family: "Shah", year: "2020", title: "Groundwater Depletion and Crop Yields Around Swat",
                        container: "Agricultural Water Management")
            return try #require(try judgments(h.document()).first { $0.references == [1] })
        }
        #expect(try shah("Refugee camps in the Swat valley after the floods").stuffing.isEmpty)
        // with no title in sentence case and no mention in the text, nothing tells the name from
        // the word 'swat': it counts as a generic word
        #expect(try shah("Refugee Camps in the Swat Valley After the Floods").stuffing == ["Swat"])
    }
}

@Suite struct CapitalizationTests {
    @Test func caseOfAWord() {
        func c(_ w: String) -> Bool? { let b = Array(w.utf8); return Words.isCapitalized(b, 0, b.count) }
        #expect(c("Balochistan") == true)
        #expect(c("Ögren") == true)
        #expect(c("navigating") == false)
        #expect(c("ébauche") == false)
        #expect(c("HRCP") == nil)
        #expect(c("NAVIGATING") == nil)
    }
}

@Suite struct RelatedTermsTests {
    @Test func shippedRelatedTermsLoad() throws {
        let v = try Fixtures.stage.vocabulary
        func term(_ s: String) -> Int? { v.relatedTerms[v.key(s)] }
        let disappearance = try #require(term("disappearances"))
        let missing = try #require(term("missing people"))  // 'people' counts as 'person'
        let habeas = try #require(term("habeas corpus"))
        let detention = try #require(term("detention"))
        let court = try #require(term("courts"))
        #expect(v.related[disappearance].contains(missing) && v.related[missing].contains(disappearance))
        #expect(v.related[habeas].contains(detention) && v.related[habeas].contains(court))
        #expect(!v.related[detention].contains(court), "relations are not transitive")
        // no one-word term is a stop word (it would never match)
        let clashes = v.relatedTerms.keys.filter { !$0.contains(" ") && v.stop.contains($0) }
        #expect(clashes.isEmpty)
    }

    @Test func relatedFileErrorsNameTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("screening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stop = dir.appendingPathComponent("stop.txt")
        try "the of\n".write(to: stop, atomically: true, encoding: .utf8)
        let bad = dir.appendingPathComponent("related.tsv")
        for (text, line) in [("# c\ntorture\n", 2), ("torture\till treatment\nasylum\tthe\n", 2),
                             ("torture\tone two three four\n", 1), ("torture\t ,\n", 1)] {
            try text.write(to: bad, atomically: true, encoding: .utf8)
            do {
                _ = try Vocabulary.load(stopWords: stop, variants: nil, abbreviations: nil, background: nil, fields: nil, related: bad)
                Issue.record("expected an error for \(text)")
            } catch let e as ConfigError {
                #expect(e.line == line, "\(text): \(e.message)")
            }
        }
        try "torture\till treatment, cruel\ntorture\tinterrogation\n".write(to: bad, atomically: true, encoding: .utf8)
        let v = try Vocabulary.load(stopWords: stop, variants: nil, abbreviations: nil, background: nil, fields: nil, related: bad)
        #expect(v.relatedNames == ["torture", "ill treatment", "cruel", "interrogation"])
        #expect(v.related[0] == [1, 2, 3] && v.related[1] == [0] && v.related[3] == [0])
        #expect(v.relatedMaxWords == 2)
    }

    /// A title word absent from the passage counts, for less, when the passage has a related term.
    @Test func relatedTermsCountForLessThanTheSameWord() throws {
        func passage(_ sentence: String) throws -> TopicJudgment {
            var h = HandDocument()
            h.title("Courts and the State")
            h.paragraph([.text(sentence + " ("), .cite("Ahmed, 2019", 0), .text(").")])
            h.paragraph([.text("Budgets were cut.")])
            h.paragraph([.text("Elections were held.")])
            h.reference("Ahmed, A., 2019. The missing persons of the valley.", family: "Ahmed", year: "2019",
                        title: "Searching for the missing persons of the valley")
            return try #require(try TopicScreen(vocabulary: Fixtures.stage.vocabulary, options: Fixtures.stage.topic!)
                .judge(h.document()).judgments.first)
        }
        let same = try passage("Families search for missing persons in the valley")
        let related = try passage("Families search for the victims of enforced disappearances in the valley")
        let none = try passage("Families search for lost cattle in the valley")
        #expect(same.passage > related.passage && related.passage > none.passage)
        #expect(related.related == ["missing persons ~ disappearance"] || related.related.first?.hasPrefix("missing persons ~") == true)
        #expect(none.related.isEmpty)
    }
}
