import AssayCore
import Testing
@testable import Screening

/// What the article's own text says about the words of its title and about related terms, read in
/// the one pass over its words (`Article.count`): the capitals of the title's words inside its
/// sentences, and the related terms of each paragraph.
@Suite struct TextEvidenceTests {
    func judgments(_ d: Document) throws -> [TopicJudgment] {
        try TopicScreen(vocabulary: Fixtures.stage.vocabulary, options: Fixtures.stage.topic!).judge(d).judgments
    }

    /// An article titled with the place 'Swat', whose text names it once, as `swat`, in one of
    /// many paragraphs (rarely enough for the keyword-stuffing rule), citing an off-topic work that
    /// shares the word; no title of the reference list is in sentence case.
    func shah(_ swat: String) throws -> TopicJudgment {
        var h = HandDocument()
        h.title("Navigating Refugee Law in Swat")
        h.paragraph([.text("Many refugees returned to the \(swat) valley after the floods.")])
        for i in 0..<24 {
            h.paragraph([.text("Refugee camps need clean water, schools and clinics, as report \(i) of the agencies says.")])
        }
        h.paragraph([.text("Border guards are trained in the use of force at crossings ("), .cite("Shah, 2020", 0), .text(").")])
        h.reference("Shah, A., 2020. Groundwater Depletion and Crop Yields Around Swat. Agricultural Water Management.",
                    family: "Shah", year: "2020", title: "Groundwater Depletion and Crop Yields Around Swat",
                    container: "Agricultural Water Management")
        return try #require(try judgments(h.document()).first { $0.references == [0] })
    }

    @Test func capitalsInTheArticlesTextMarkANameOfItsTitle() throws {
        // written with a capital inside a sentence of the text: a name, no sign of stuffing
        #expect(try shah("Swat").stuffing.isEmpty)
        // in lower case there: the common word, shared with the article's title
        #expect(try shah("swat").stuffing == ["Swat"])
    }

    /// A title word missing from the article's text counts for part of the article score when a
    /// related term (`related.tsv`) is in a paragraph of the text, wherever it stands there.
    @Test func relatedTermsOfTheTextCountForTheArticleScore() throws {
        func article(_ sentence: String) throws -> Double {
            var h = HandDocument()
            h.title("Rights in Balochistan")
            h.paragraph([.text("Families of the disappeared petition the courts ("), .cite("Baloch, 2019", 0), .text(").")])
            h.paragraph([.text(sentence)])
            h.reference("Baloch, A., 2019. Missing persons and the courts. Journal of Human Rights.", family: "Baloch",
                        year: "2019", title: "Missing persons and the courts", container: "Journal of Human Rights")
            return try #require(try judgments(h.document()).first).article
        }
        let related = try article("Activists count the enforced disappearances of each year.")
        let unrelated = try article("Activists count the floods of each year.")
        #expect(related > unrelated, "\(related) vs \(unrelated)")
    }
}
