import AssayCore
import Testing
@testable import Citations

/// Reference styles: entries split right and fields parsed, nil where the entry does not say.
struct ReferenceStyleTests {
    func parse(_ entries: String) -> [Reference] {
        let d = TestDocs.make("Body text.\n\nReferences\n\n" + entries)
        return ReferenceParser().parse(d, section: d.referencesSection!)
    }

    @Test func harvardProceedings() throws {
        let r = parse("- Kai, S., Wang, B., Chen, D., Hao, J., Zhang, H. and Liu, W., 2020, October. A multi-task reinforcement learning approach for navigating unsignalized intersections. In *2020 IEEE Intelligent Vehicles Symposium (IV)* (pp. 1583-1588). IEEE.")
        #expect(r.count == 1)
        #expect(r[0].authors.map(\.family) == ["Kai", "Wang", "Chen", "Hao", "Zhang", "Liu"])
        #expect(r[0].authors[0].given == "S.")
        #expect(r[0].year == "2020")
        #expect(r[0].title == "A multi-task reinforcement learning approach for navigating unsignalized intersections")
        #expect(r[0].container == "2020 IEEE Intelligent Vehicles Symposium (IV)")
        #expect(r[0].pages == "1583-1588")
        #expect(r[0].publisher == "IEEE")
    }

    @Test func harvardJournalAndBook() throws {
        let r = parse("""
        - Babikian, J., 2023. Beyond Borders: International Law and Global Governance in the Digital Age. *Journal of Accounting & Business Archive Review*, 1(1), pp.1-12.
        - Donnelly, J. and Whelan, D.J., 2020. *International human rights*. Routledge.
        - Nowak, M., 2021. *Introduction to the international human rights regime* (Vol. 14). Brill.
        - Möser, C., Ramme, J. and Takács, J. eds., 2022. *Paradoxical right-wing sexual politics in Europe*. London: Palgrave Macmillan.
        """)
        #expect(r.count == 4)
        #expect(r[0].container == "Journal of Accounting & Business Archive Review")
        #expect([r[0].volume, r[0].issue, r[0].pages] == ["1", "1", "1-12"])
        #expect(r[0].publisher == nil)
        #expect(r[1].title == "International human rights" && r[1].publisher == "Routledge" && r[1].container == nil)
        #expect(r[1].authors.map(\.family) == ["Donnelly", "Whelan"])
        #expect(r[2].volume == "14" && r[2].publisher == "Brill")
        #expect(r[3].editors && r[3].authors.map(\.family) == ["Möser", "Ramme", "Takács"])
        #expect(r[3].publisher == "Palgrave Macmillan")
    }

    @Test func apaJournalChapterAndEditedBook() throws {
        let r = parse("""
        - Hussain, N., Khan, A., & Chandio, L. A. (2023). Legal Safeguards against Mob Justice. *Al-Qamar*, 13-26.
        - Padía, L.B. and Traxler, R.E., 2023. Traerás tus documentos. In *Enacting Disability Critical Race Theory* (pp. 91-106). Routledge.
        - Smith, J. (Ed.). (2019a). *A book of essays*. Oxford University Press.
        - Lee, K. (2018). A chapter. In J. Smith & K. Park (Eds.), *Handbook of rights* (pp. 1–20). Sage.
        """)
        #expect(r.count == 4)
        #expect(r[0].authors.map(\.family) == ["Hussain", "Khan", "Chandio"])
        #expect(r[0].authors[2].given == "L. A.")
        #expect(r[0].container == "Al-Qamar" && r[0].pages == "13-26" && r[0].volume == nil)
        #expect(r[1].container == "Enacting Disability Critical Race Theory" && r[1].pages == "91-106" && r[1].publisher == "Routledge")
        #expect(r[2].editors && r[2].year == "2019" && r[2].yearSuffix == "a" && r[2].title == "A book of essays")
        #expect(r[2].publisher == "Oxford University Press")
        #expect(r[3].container == "Handbook of rights" && r[3].pages == "1–20" && r[3].publisher == "Sage")
    }

    @Test func explodedInitialsAndGivenNamesFirst() throws {
        let r = parse("""
        - Usman, M. U. H. A. M. M. A. D., Amjad, S. O. H. A. I. L., & Khan, A. S. I. F. (2021). Human Trafficking and Smuggling.
        - Asif Khan, Muhammad Usman, & sohail Amjad. (2023). THE EFFECTIVENESS OF INTERNATIONAL LAW: A COMPARATIVE ANALYSIS. *International Journal of Contemporary Issues*, 2(3), 780–786.
        - Khan, A., & Jiliani, M. A. H. S. (2023). Expanding The Boundaries. *IIUMLJ*, 31, 393.
        """)
        #expect(r.count == 3)
        #expect(r[0].authors.map(\.family) == ["Usman", "Amjad", "Khan"])
        #expect(r[0].authors.map { $0.given ?? "" } == ["Muhammad", "Sohail", "Asif"])
        #expect(r[0].title == "Human Trafficking and Smuggling" && r[0].container == nil)
        #expect(r[1].authors.map(\.family) == ["Khan", "Usman", "Amjad"])
        #expect(r[1].authors.map { $0.given ?? "" } == ["Asif", "Muhammad", "sohail"])
        #expect([r[1].volume, r[1].issue, r[1].pages] == ["2", "3", "780–786"])
        #expect(r[2].authors[1].given == "M. A. H. S.")  // real initials stay as written
        #expect(r[2].volume == "31" && r[2].pages == "393")
    }

    @Test func vancouverELife() throws {
        let r = parse("""
        Adler I, Barabé D, Jean RV. 1997. A History of the Study of Phyllotaxis. Annals of Botany 80:231–244. doi: 10.1006/anbo.1997.0422
        van Anken E, Braakman I. 2005. Versatility of the endoplasmic reticulum protein folding factory. Critical Reviews in Biochemistry and Molecular Biology 40:191–228.
        Royal Society. 2009. Reaping the benefits. London: Royal Society.
        Wilkinson DJ. 2009. Stochastic modelling. Nature Reviews. Genetics 10:122–133. doi: 10.1038/nrg2509
        """)
        #expect(r.count == 4)
        #expect(r[0].authors.map(\.family) == ["Adler", "Barabé", "Jean"])
        #expect(r[0].authors[2].given == "RV")
        #expect(r[0].container == "Annals of Botany" && r[0].volume == "80" && r[0].pages == "231–244")
        #expect(r[1].authors.first?.family == "van Anken")
        #expect(r[2].authors.map(\.family) == ["Royal Society"] && r[2].publisher == "Royal Society")
        #expect(r[3].container == "Nature Reviews. Genetics")
    }

    @Test func dissertationAndMissingFields() throws {
        let r = parse("""
        - Zwingel, S. (2005). *How do international women's rights norms become effective?* (Doctoral dissertation, Bochum, Univ., Diss., 2005).
        - KHAN, A., USMAN, M., & RIAZ, N. (2021). The Intersectionality of Human Rights: Addressing Multiple Discrimination.
        """)
        #expect(r.count == 2)
        #expect(r[0].title == "How do international women's rights norms become effective?")
        #expect(r[0].publisher?.hasPrefix("Bochum") == true && r[0].container == nil)
        #expect(r[1].authors.map(\.family) == ["KHAN", "USMAN", "RIAZ"])
        #expect(r[1].container == nil && r[1].volume == nil && r[1].pages == nil && r[1].publisher == nil)
    }

    @Test func twoEntriesOnOneLine() throws {
        let r = parse("- Kakar, M.S., 2022. Dissecting the Asia Bibi Case. *J. Int'l L. Islamic L.*, 18, p.66. Kakar, M.S., 2022. Dissecting the Asia Bibi Case. *J. Int'l L. Islamic L.*, 18, p.66.\n- Foot, R., 2020. *Human rights*. Routledge.")
        #expect(r.count == 3)
        #expect(r[0].container == "J. Int'l L. Islamic L." && r[0].volume == "18" && r[0].pages == "66")
        #expect(r[1].authors.first?.family == "Kakar")
        #expect(r[0].span.end <= r[1].span.start)
    }

    @Test func manyEntriesInOneParagraphEachReadAlone() throws {
        // lines joined by ingest: a yearless entry takes no year from the entry after it, and an
        // italic journal name stays with its own entry
        let r = parse("Royal Society. Science: an open enterprise. London. Khan, A. B. (2001). Rights at work. *Journal of Law*, 1(2), 1-9. Khan, C. D. (2002). Rights at home. *Journal of Law*, 2(1), 3-4.")
        #expect(r.count == 3)
        #expect(r[0].year == nil)
        #expect(r.dropFirst().map(\.year) == ["2001", "2002"])
        #expect(r.dropFirst().map(\.title) == ["Rights at work", "Rights at home"])
        #expect(r.dropFirst().map(\.container) == ["Journal of Law", "Journal of Law"])
        #expect(r[0].span.end <= r[1].span.start && r[1].span.end <= r[2].span.start)
    }

    @Test func pageBreakInsideAnEntryIsNoNewEntry() throws {
        let r = parse("- Biehl, J., Prates, L.E. and Amon, J.J., 2021. Supreme Court v. Necropolitics: the chaotic\n\njudicialization of COVID-19 in Brazil. *Health and Human Rights*, 23(1), p.151.\n\n- Foot, R., 2020. *Human rights*. Routledge.")
        #expect(r.count == 2)
        #expect(r[0].title?.hasSuffix("in Brazil") == true)
        #expect(r[0].container == "Health and Human Rights")
        let r2 = parse("- Sain, Z.H., 2023. Revitalizing Education in Pakistan. *International Journal of Higher\n\nEducation Management*, 9(2).")
        #expect(r2.count == 1)
    }

    @Test func locatesTheSectionFromItsHeading() throws {
        for h in ["REFERENCES", "## References", "Bibliography", "7. References:", "**Works Cited**"] {
            #expect(ReferenceSectionLocator.isReferencesHeading(h), "\(h)")
        }
        #expect(!ReferenceSectionLocator.isReferencesHeading("References to the Convention are frequent in this text"))
        let d = TestDocs.make("Intro (Foot, 2020).\n\nREFERENCES\n\n- Foot, R., 2020. *Human rights*. Routledge.")
        #expect(d.referencesSection?.label == "REFERENCES")
    }
}
