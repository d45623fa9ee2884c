import AssayCore
import Testing
@testable import Citations

/// The findings' messages word for word, one of each kind and the ways an entry is quoted: a title
/// or an entry cut (ASCII or not, long or short), emphasis marks left out (beside ASCII or not), one
/// to six authors, an orphan's hint, a suffix. (Each message is written piece by piece as bytes,
/// `Message`: this pins every piece and every cut. The expected messages are those of the code
/// before `Message`.)
struct MessageWordingTests {
    static let document = """
        Findings Worded

        Cited (Nobody, 2019), (Smith, 2015), (Smith, 2019), (Foot, 2020), (Jillani, 2021), (Khan, Bhatti, & Jillani, 2021), (Asif, 2023), (Kai, et. Al 2020), (Lee et al., 2016), (Zürcher, 2018) and (Müller, 2001).

        References

        - Foot, R., 2021. A title that runs on well past sixty characters so that the message must cut it. *Journal of Law*, 1, p.1.
        - Smith, J., 2019. Première œuvre écrite avec des caractères accentués qui dépasse soixante caractères. *Revue*, 2, p.2.
        - Smith, J., 2019. Second work. *Journal B*, 2, p.2.
        - Khan, A., Bhatti, B., & Jiliani, C., 2021. Names nearly matching. *Law Review*, 3, p.3.
        - Asif Khan, Muhammad Usman, & sohail Amjad. (2023). Given names first.
        - Kai, S., Wang, B., & Liu, W., 2020. Three authors.
        - Lee, K., & Park, J., 2016. Two authors only.
        - Allen, L., 2020. An uncited entry with *emphasis marks* and a long text that runs past one hundred and sixty bytes for sure, yes indeed it does so and on.
        - Allen, L., 2020. An uncited entry with *emphasis marks* and a long text that runs past one hundred and sixty bytes for sure, yes indeed it does so and on.
        - Zürcher, Ä., 2018. Ein sehr langer Titel über Menschenrechte, der weit über neunzig Zeichen hinausgeht, damit er gekürzt wird.
        - Brown, B., 2017. *Short one*.
        - Green, G., 2016. A *middle* length entry of exactly enough words to pass ninety characters once cleaned up.
        - Müller, M., 2001a. Erstes Werk.
        - Müller, M., 2001b. Zweites Werk.
        - Ödegaard, Ö., 2015. Ein sehr langer Titel über Menschenrechte, der weit über neunzig Zeichen hinausgeht, damit er gekürzt wird.
        - Çelik, Ç., 2014. *Kısa başlık*.
        - Many, A., Two, B., Three, C., Four, D., Five, E., & Six, F., 2013. Six authors.
        - Royal Society. 2009. Science in society.
        - Øster, Ø., 2012. *Ærø, bog om øer*. Forlag.
        - Long, L., 2011. A very long entry that goes on and on about *human rights* in the region, with a subtitle, a second subtitle and a third one, so that it runs well past the hundred and sixty bytes the short quote reads.
        """

    /// In the stage's order: the citations' findings in text order, then the entries' in list order.
    static let expected: [(Finding.Kind, String)] = [
        (.orphanCitation, "'Nobody, 2019' matches no entry in the reference list (looked for Nobody 2019): add the work to the references or correct the citation."),
        (.orphanCitation, "'Smith, 2015' matches no entry in the reference list (looked for Smith 2015; the list has Smith, 2019; Smith, 2019): add the work to the references or correct the citation."),
        (.ambiguousCitation, "'Smith, 2019' fits 2 entries: Smith, 2019 \"Première œuvre écrite avec des caractères accentués qui d…\"; Smith, 2019 \"Second work\". Nothing tells them apart: add a/b suffixes to the years in the list and the citations, or name more authors."),
        (.yearMismatch, "'Foot, 2020' gives the year 2020; the reference list dates the work 2021 (Foot, 2021 \"A title that runs on well past sixty characters so that t…\"): correct one of them."),
        (.orphanCitation, "'Jillani, 2021' matches no entry in the reference list (looked for Jillani 2021): add the work to the references or correct the citation."),
        (.nameMismatch, "'Jillani' in the citation; the reference list spells it 'Jiliani' (Khan, Bhatti, & Jiliani, 2021): correct the spelling."),
        (.givenNameAsSurname, "'Asif, 2023' names an author by the given name 'Asif': the entry lists 'Asif Khan', family name Khan (Khan, Usman, & Amjad, 2023 \"Given names first\"); cite it as 'Khan, 2023'."),
        (.malformedCitation, "'Kai, et. Al 2020': 'et. Al' should be 'et al.'; it resolves to Kai, Wang, & Liu, 2020."),
        (.malformedCitation, "'Lee et al., 2016': 'et al.' for a work with two authors (Lee & Park): name both; it resolves to Lee & Park, 2016."),
        (.ambiguousCitation, "'Müller, 2001' fits 2 entries: Müller, 2001a \"Erstes Werk\"; Müller, 2001b \"Zweites Werk\". Nothing tells them apart: add a/b suffixes to the years in the list and the citations, or name more authors."),
        (.uncitedReference, "Nothing in the text cites entry 8, 'Allen, L., 2020. An uncited entry with emphasis marks and a long text that runs past on…' (Allen, 2020): cite it or remove it from the reference list."),
        (.duplicateReference, "The reference list gives the same work twice (entries 8 and 9): 'Allen, L., 2020. An uncited entry with emphasis marks and a long text that runs past on…'. Remove the copy."),
        (.uncitedReference, "Nothing in the text cites entry 11, 'Brown, B., 2017. Short one.' (Brown, 2017): cite it or remove it from the reference list."),
        (.uncitedReference, "Nothing in the text cites entry 12, 'Green, G., 2016. A middle length entry of exactly enough words to pass ninety character…' (Green, 2016): cite it or remove it from the reference list."),
        (.uncitedReference, "Nothing in the text cites entry 15, 'Ödegaard, Ö., 2015. Ein sehr langer Titel über Menschenrechte, der weit über neunzig Ze…' (Ödegaard, 2015): cite it or remove it from the reference list."),
        (.uncitedReference, "Nothing in the text cites entry 16, 'Çelik, Ç., 2014. Kısa başlık.' (Çelik, 2014): cite it or remove it from the reference list."),
        (.uncitedReference, "Nothing in the text cites entry 17, 'Many, A., Two, B., Three, C., Four, D., Five, E., & Six, F., 2013. Six authors.' (Many et al., 2013): cite it or remove it from the reference list."),
        (.uncitedReference, "Nothing in the text cites entry 18, 'Royal Society. 2009. Science in society.' (Royal Society, 2009): cite it or remove it from the reference list."),
        (.uncitedReference, "Nothing in the text cites entry 19, 'Øster, Ø., 2012. Ærø, bog om øer. Forlag.' (Øster, 2012): cite it or remove it from the reference list."),
        (.uncitedReference, "Nothing in the text cites entry 20, 'Long, L., 2011. A very long entry that goes on and on about human rights in the region,…' (Long, 2011): cite it or remove it from the reference list."),
    ]

    @Test func everyMessageWordForWord() throws {
        let d = try TestDocs.run(TestDocs.ingest(Self.document))
        let found = d.findings.map { ($0.kind, $0.message) }
        #expect(found.count == Self.expected.count)
        for (f, e) in zip(found, Self.expected) {
            #expect(f.0 == e.0)
            #expect(f.1 == e.1)
        }
    }
}
