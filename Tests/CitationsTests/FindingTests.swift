import AssayCore
import Testing
@testable import Citations

/// One small made-up document per finding kind.
struct FindingTests {
    func run(_ body: String, _ refs: String) throws -> Document {
        try TestDocs.run(TestDocs.make(body + "\n\nReferences\n\n" + refs))
    }

    func only(_ d: Document, _ kind: Finding.Kind) -> [Finding] { d.findings.filter { $0.kind == kind } }

    @Test func orphanCitation() throws {
        let d = try run("As shown (Nobody, 2019) and (Foot, 2020).", "- Foot, R., 2020. *Human rights*. Routledge.")
        let f = only(d, .orphanCitation)
        #expect(f.count == 1)
        #expect(f[0].severity == .error && f[0].citations == [0] && f[0].references.isEmpty)
        #expect(f[0].message.contains("'Nobody, 2019'"))
        #expect(d.citations[0].references.isEmpty)
        #expect(d.findings.count == 1)
    }

    /// A surname several entries of its year answer to links to those whose first author it is
    /// in full (dropped in place from the list of fits), in list order; the entries it names only in
    /// part are kept when none has it in full.
    @Test func fullNameFitsBeatPartialOnes() throws {
        let refs = """
            - Schwend, A., 2020. *First work*. Press.
            - Suess Schwend, B., 2020. *Second work*. Press.
            - Schwend, C., 2020. *Third work*. Press.
            - Barbier Schwend, D., 2021. *Fourth work*. Press.
            - Suess Schwend, E., 2021. *Fifth work*. Press.
            """
        let d = try run("Cited (Schwend, 2020) and (Suess Schwend, 2020) and (Schwend, 2021).", refs)
        #expect(d.citations.map(\.references) == [[0, 2], [1], [3, 4]])
        #expect(only(d, .ambiguousCitation).map(\.references) == [[0, 2], [3, 4]])
    }

    @Test func uncitedReference() throws {
        let d = try run("Only Foot is cited (Foot, 2020).", "- Foot, R., 2020. *Human rights*. Routledge.\n- Allen, L., 2020. *The rise and fall of human rights*. Stanford University Press.")
        let f = only(d, .uncitedReference)
        #expect(f.count == 1 && f[0].references == [1] && f[0].severity == .warning)
        #expect(f[0].message.contains("Allen, L., 2020. The rise and fall of human rights"))
        #expect(d.findings.count == 1)
    }

    @Test func ambiguousCitation() throws {
        let d = try run("Two works (Smith, 2019) and one told apart (Lee, 2018a).", """
        - Smith, J., 2019. First work. *Journal A*, 1, p.1.
        - Smith, J., 2019. Second work. *Journal B*, 2, p.2.
        - Lee, K., 2018a. Third work. *Journal C*, 3, p.3.
        - Lee, K., 2018b. Fourth work. *Journal D*, 4, p.4.
        """)
        let f = only(d, .ambiguousCitation)
        #expect(f.count == 1 && f[0].citations == [0] && f[0].references == [0, 1])
        #expect(d.citations[0].references == [0, 1])
        #expect(d.citations[1].references == [2])
        #expect(only(d, .uncitedReference).map(\.references) == [[3]])
    }

    @Test func ambiguousCitationOfManyWorksNamesFiveAndCountsTheRest() throws {
        // a prolific author: eight works of one year, three of another, cited without suffixes
        let works = (1...11).map { "- Smith, J., \($0 <= 8 ? 2019 : 2020). Work number \($0). *Journal*, 1, p.\($0)." }
        let d = try run("Cited (Smith, 2019) and (Smith, 2020).", works.joined(separator: "\n"))
        let f = only(d, .ambiguousCitation)
        #expect(f.map(\.references) == [Array(0..<8), Array(8..<11)])
        #expect(d.citations.map(\.references) == [Array(0..<8), Array(8..<11)])
        #expect(f[0].message.hasPrefix("'Smith, 2019' fits 8 entries: Smith, 2019 \"Work number 1\"; Smith, 2019 \"Work number 2\";"))
        #expect(f[0].message.contains("\"Work number 5\"; 3 more. Nothing tells them apart"))
        #expect(!f[0].message.contains("Work number 6"))
        #expect(f[1].message.contains("\"Work number 11\". Nothing tells them apart"))
    }

    @Test func etAlMatchesManyWorksButNeverEveryCoAuthorsWork() throws {
        let d = try run("(Usman et al., 2021) and (Amjad & Khan, 2021).", """
        - Usman, M., Amjad, S., & Khan, A. (2021). One.
        - Usman, M., Khan, A., & Amjad, S. (2021). Two.
        - Amjad, S., & Khan, A. (2021). Three.
        - Khan, A., Amjad, S., & Usman, M. (2021). Four.
        """)
        #expect(d.citations[0].references == [0, 1])
        #expect(d.citations[1].references == [2])
        #expect(only(d, .uncitedReference).map(\.references) == [[3]])
    }

    @Test func yearMismatch() throws {
        let d = try run("Change (Barnett, 2021).", "- Barnett, J., 2020. Global change. *Progress in Human Geography*, 44(6), pp.1172-1184.")
        let f = only(d, .yearMismatch)
        #expect(f.count == 1 && f[0].severity == .error && f[0].references == [0])
        #expect(d.citations[0].references == [0])
        #expect(f[0].message.contains("2021") && f[0].message.contains("2020"))
        #expect(only(d, .orphanCitation).isEmpty && only(d, .uncitedReference).isEmpty)
    }

    @Test func yearOffButSeveralWorksIsAnOrphan() throws {
        let d = try run("(Smith, 2021) (Smith, 2019a) (Smith, 2019b)", "- Smith, J., 2019a. One. *A*, 1.\n- Smith, J., 2019b. Two. *B*, 2.")
        #expect(only(d, .orphanCitation).map(\.citations) == [[0]])
        #expect(only(d, .yearMismatch).isEmpty)
    }

    @Test func nameMismatch() throws {
        let d = try run("Bodies (Khan, Bhatti, & Jillani, 2021).", "- Khan, A., Bhatti, S. H., & Jiliani, M. A. H. S. (2021). An overview. *LASSIJ*.")
        let f = only(d, .nameMismatch)
        #expect(f.count == 1 && f[0].severity == .error && f[0].references == [0])
        #expect(f[0].message.hasPrefix("'Jillani' in the citation; the reference list spells it 'Jiliani' (Khan, Bhatti, & Jiliani, 2021)"))
        #expect(d.citations[0].references == [0])
        // a different name of the same year is no misspelling
        let d2 = try run("(Kahneman, 2021)", "- Kohler, A. (2021). Other. *J*, 1.")
        #expect(only(d2, .nameMismatch).isEmpty && only(d2, .orphanCitation).count == 1)
    }

    @Test func givenNameAsSurname() throws {
        let d = try run("Effectiveness (Asif et al., 2023).", "- Asif Khan, Muhammad Usman, & sohail Amjad. (2023). THE EFFECTIVENESS OF INTERNATIONAL LAW. *IJCISS*, 2(3), 780–786.")
        let f = only(d, .givenNameAsSurname)
        #expect(f.count == 1 && f[0].severity == .warning && f[0].references == [0])
        #expect(f[0].message.contains("Khan et al., 2023"))
        #expect(only(d, .orphanCitation).isEmpty)
    }

    @Test func duplicateReference() throws {
        let d = try run("Islam (Ali, 2021).", """
        - Ali, S.S., 2021. *Gender and human rights in Islam and international law*. Brill.
        - Foot, R., 2020. *Human rights*. Routledge.
        - Ali, S.S., 2021. *Gender and human rights in Islam and international law*. Brill.
        """)
        let f = only(d, .duplicateReference)
        #expect(f.count == 1 && f[0].references == [0, 2] && f[0].severity == .warning)
        #expect(d.citations[0].references == [0])
        #expect(only(d, .ambiguousCitation).isEmpty)
        #expect(only(d, .uncitedReference).map(\.references) == [[1]])
    }

    @Test func malformedCitationAndEtAlForTwo() throws {
        let d = try run("(Kai, et. Al 2020) and (Costello et al., 2020).", """
        - Kai, S., Wang, B. and Chen, D., 2020. Title one. *Journal*, 1, p.1.
        - Costello, C. and Mann, I., 2020. Border justice. *German Law Journal*, 21(3), pp.311-334.
        """)
        let f = only(d, .malformedCitation)
        #expect(f.count == 2 && f.allSatisfy { $0.severity == .info })
        #expect(f[0].message.contains("'et. Al' should be 'et al.'"))
        #expect(f[1].message.contains("two authors"))
        #expect(d.citations.allSatisfy { $0.references.count == 1 })
    }

    @Test func noFindingTwice() throws {
        let d = try TestDocs.run(TestDocs.seed("004"))
        let keys = d.findings.enumerated().map { "\($0.element.kind)|\($0.element.citations)|\($0.element.references)|\($0.offset)" }
        let perSpan = d.findings.map { "\($0.kind)|\($0.citations)|\($0.references)" }
        // the same citation may repeat a finding only when it is a different citation
        #expect(Set(perSpan).count == perSpan.count, "\(keys)")
    }
}
