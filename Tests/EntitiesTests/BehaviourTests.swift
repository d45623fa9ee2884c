import AssayCore
import Foundation
import Testing
@testable import Entities

// MARK: - Names: variants, whole tokens, longest match

struct MatchingTests {
    @Test func fullStatuteNamesAreKeptWhole() {
        // A generic NER tool cut these to "Electronic Crimes Act" and "Terrorism Act".
        let d = analyzed("Critics of the Prevention of Electronic Crimes Act, 2016 and the Anti-Terrorism Act 1997 say so.")
        #expect(d.entity("Prevention of Electronic Crimes Act, 2016")?.key == "pk-peca-2016")
        #expect(d.entity("Anti-Terrorism Act 1997")?.key == "pk-ata-1997")
        #expect(d.entities.count == 2)
    }

    @Test func hyphenSpaceCaseAndDiacriticVariants() {
        let d = analyzed("""
        The Anti Terrorism Act was used. HUMAN RIGHTS WATCH said so. Khyber-Pakhtunkhwa and Turkiye too.
        """)
        #expect(d.key(of: "Anti Terrorism Act") == "pk-ata-1997")
        #expect(d.key(of: "HUMAN RIGHTS WATCH") == "hrw")
        #expect(d.key(of: "Khyber-Pakhtunkhwa") == "khyber-pakhtunkhwa")
        #expect(d.key(of: "Turkiye") == "turkey")       // the gazetteer writes "Türkiye"
    }

    @Test func possessivesAreNotPartOfTheName() {
        let d = analyzed("CEDAW's scope is broad; the UN’s findings and DRI’s support.")
        #expect(d.key(of: "CEDAW") == "cedaw")
        #expect(d.key(of: "UN") == "un")
        #expect(d.key(of: "DRI") == "dri")
    }

    @Test func acronymsAreCaseSensitiveAliasesAreNot() {
        let d = analyzed("The cat sat on the Cat mat. Pakistan ratified CAT in 2010. The Awakening works; the awakening of youth.")
        #expect(d.entities.filter { $0.key == "cat" }.count == 1)
        #expect(d.entities.filter { $0.key == "the-awakening" }.count == 1)   // an exact (case-sensitive) name
    }

    @Test func wholeTokensOnly() {
        let d = analyzed("The UNHRCs and preCEDAW and CEDAWs; Anti-UN sentiment; non-PECA rules.")
        #expect(d.entities.allSatisfy { $0.type != .treaty && $0.type != .law })
        #expect(!d.entities.contains { $0.key == "un" })
    }

    @Test func longestMatchWins() {
        let d = analyzed("The NCHR Act created the NCHR. The Punjab Protection of Women against Violence Act differs from the Protection of Women Act.")
        #expect(d.key(of: "NCHR Act") == "pk-nchr-act-2012")
        #expect(d.key(of: "NCHR") == "nchr")
        #expect(d.key(of: "Punjab Protection of Women against Violence Act") == "pk-punjab-ppwva-2016")
        #expect(d.key(of: "Protection of Women Act") == "pk-powa-2006")
        #expect(!d.entities.contains { d.string($0.span) == "Punjab" })
    }

    @Test func namesDoNotRunAcrossLinesOrCells() {
        let d = analyzed("Human Rights\nWatch\tAmnesty\tInternational")
        #expect(!d.entities.contains { $0.key == "hrw" || $0.key == "amnesty" })
    }

    @Test func gluedWordsAreSplitAtACaseChange() {
        // A lost line break glued "HRDs" to "Abstract" in seed 001.
        let d = analyzed("Media freedom, UN Declaration on HRDsAbstract Human rights defenders")
        #expect(d.key(of: "UN Declaration on HRDs") == "hrd-declaration")
    }
}

// MARK: - Shared names

struct AmbiguityTests {
    @Test func cedawTreatyOrCommittee() {
        let d = analyzed("Pakistan acceded to CEDAW. The CEDAW Committee reviewed its report, and the Committee on CEDAW met again.")
        #expect(d.key(of: "CEDAW") == "cedaw")
        #expect(d.entity("CEDAW")?.type == .treaty)
        #expect(d.key(of: "CEDAW Committee") == "cedaw-committee")
        #expect(d.entity("CEDAW Committee")?.type == .organization)
        #expect(d.key(of: "Committee on CEDAW") == "cedaw-committee")
    }

    @Test func hrcByDefinition() {
        let council = analyzed("The Human Rights Council (HRC) meets in Geneva. Pakistan sits on the HRC.")
        #expect(council.key(of: "HRC", nth: 0) == "unhrc")
        #expect(council.key(of: "HRC", nth: 1) == "unhrc")
        let committee = analyzed("The Human Rights Committee (HRC) monitors the Covenant. The HRC reviewed Pakistan in 2017.")
        #expect(committee.key(of: "HRC", nth: 0) == "ccpr-committee")
        #expect(committee.key(of: "HRC", nth: 1) == "ccpr-committee")
        #expect(committee.entity("HRC", nth: 1)?.attributes["resolvedBy"] == "definition")
    }

    @Test func hrcByContext() {
        let committee = analyzed("Under the ICCPR, the HRC adopted a general comment and its concluding observations on Pakistan.")
        #expect(committee.key(of: "HRC") == "ccpr-committee")
        #expect(committee.entity("HRC")?.attributes["resolvedBy"] == "context")
        #expect(committee.entity("HRC")?.attributes["alternatives"] == "unhrc")
        let council = analyzed("Pakistan was elected a member of the HRC; the resolution passed at its session before the UPR.")
        #expect(council.key(of: "HRC") == "unhrc")
        // Nothing to go on: the preferred reading.
        let bare = analyzed("The HRC said so.")
        #expect(bare.key(of: "HRC") == "unhrc")
        #expect(bare.entity("HRC")?.attributes["resolvedBy"] == "default")
    }

    @Test func unhrcIsNotUnhcr() {
        let d = analyzed("The UNHRC reviewed Pakistan while the UNHCR registered Afghan refugees; the UNCHR was replaced in 2006.")
        #expect(d.key(of: "UNHRC") == "unhrc")
        #expect(d.key(of: "UNHCR") == "unhcr")
        #expect(d.key(of: "UNCHR") == "un-commission-on-human-rights")
    }

    @Test func cerdAndIcjByContext() {
        let treaty = analyzed("Pakistan ratified CERD in 1966.")
        #expect(treaty.key(of: "CERD") == "icerd")
        let committee = analyzed("In 2016 CERD reviewed Pakistan and issued concluding observations; the Committee experts asked questions.")
        #expect(committee.key(of: "CERD") == "cerd-committee")
        let court = analyzed("The ICJ delivered its judgment in the Jadhav case at The Hague.")
        #expect(court.key(of: "ICJ") == "icj-court")
        let jurists = analyzed("The ICJ, a Geneva-based NGO of lawyers, published a briefing on military courts.")
        #expect(jurists.key(of: "ICJ") == "icj-jurists")
    }

    @Test func actNumbersWithTheirYear() {
        let d = analyzed("Act XVI of 2012 set up the Commission; Act XVI of 2016 is a Punjab law.")
        #expect(d.key(of: "Act XVI of 2012") == "pk-nchr-act-2012")
        #expect(d.key(of: "Act XVI of 2016") == "pk-punjab-ppwva-2016")
    }

    @Test func protocolsOfATreaty() {
        let d = analyzed("""
        Pakistan has not joined the Second Optional Protocol to the ICCPR. It ratified the Optional Protocol \
        to the CRC on the sale of children in 2011. Both Optional Protocols to the CRC matter. The Optional \
        Protocol to the Convention against Torture is OPCAT.
        """)
        #expect(d.key(of: "Second Optional Protocol to the ICCPR") == "iccpr-op2")
        #expect(d.key(of: "Optional Protocol to the CRC") == "opsc")
        let plural = d.entity("Optional Protocols to the CRC")
        #expect(plural?.type == .treaty && plural?.key == nil && plural?.attributes["protocolTo"] == "crc")
        #expect(d.key(of: "Optional Protocol to the Convention against Torture") == "opcat")
        #expect(d.key(of: "OPCAT") == "opcat")
    }
}

// MARK: - Patterns

struct PatternTests {
    @Test func provisions() {
        let d = analyzed("""
        Article 19 of the Constitution protects speech; Article 3 of the ICCPR equality; section 295-C of the \
        Pakistan Penal Code is the blasphemy provision; Art. 25(a) of the ICCPR on participation; 295-C PPC \
        again; Articles 8 to 28 of the Constitution list rights; Article 19-A was added.
        """)
        let a19 = d.entity("Article 19 of the Constitution")
        #expect(a19?.type == .provision)
        #expect(a19?.key == "pk-constitution-1973/art-19")
        #expect(a19?.attributes["instrument"] == "pk-constitution-1973")
        #expect(d.key(of: "Article 3 of the ICCPR") == "iccpr/art-3")
        let s295 = d.entity("section 295-C of the Pakistan Penal Code")
        #expect(s295?.key == "pk-ppc-295c")
        #expect(s295?.attributes["instrument"] == "pk-ppc-1860")
        #expect(d.key(of: "Art. 25(a) of the ICCPR") == "iccpr/art-25-a")
        #expect(d.entity("Art. 25(a) of the ICCPR")?.attributes["number"] == "25(a)")
        #expect(d.key(of: "295-C PPC") == "pk-ppc-295c")
        let range = d.entity("Articles 8 to 28 of the Constitution")
        #expect(range?.type == .provision && range?.key == nil && range?.attributes["instrument"] == "pk-constitution-1973")
        // "Article 19-A was added": right after "Articles 8 to 28 of the Constitution", same instrument.
        let a19a = d.entity("Article 19-A")
        #expect(a19a?.type == .provision && a19a?.attributes["number"] == "19-A")
        #expect(a19a?.key == "pk-constitution-1973/art-19a")
        let alone = analyzed("Article 10-A guarantees a fair trial.")
        #expect(alone.entity("Article 10-A")?.type == .provision && alone.entity("Article 10-A")?.key == nil)
        // No nested entity inside a provision.
        #expect(d.entity("ICCPR") == nil)

        let more = analyzed("Article 19 of the Constitution of Pakistan and Section 295-B apply; he was charged under section 295-A.")
        #expect(more.key(of: "Article 19 of the Constitution of Pakistan") == "pk-constitution-1973/art-19")
        #expect(more.key(of: "Section 295-B") == "pk-ppc-295b")
        #expect(more.key(of: "section 295-A") == "pk-ppc-295a")
        #expect(more.entity("section 295-A")?.attributes["instrument"] == "pk-ppc-1860")
    }

    @Test func notProvisions() {
        let d = analyzed("As section 3 of this paper shows, in this article we ask whether s. 5 matters.")
        #expect(!d.entities.contains { $0.type == .provision })
    }

    @Test func lawsByPattern() {
        let d = analyzed("""
        The Khyber Pakhtunkhwa Domestic Violence (Prevention and Protection) Act, 2021 followed the Sindh Child \
        Marriages Restraint Act 2013, the Defamation Ordinance, 2002 and the Prevention of Electronic Crimes Bill, 2015. \
        The Constitution (Twenty-sixth Amendment) Act, 2024 is recent.
        """)
        for name in ["Khyber Pakhtunkhwa Domestic Violence (Prevention and Protection) Act, 2021",
                     "Sindh Child Marriages Restraint Act 2013", "Defamation Ordinance, 2002",
                     "Prevention of Electronic Crimes Bill, 2015", "Constitution (Twenty-sixth Amendment) Act, 2024"] {
            let e = d.entity(name)
            #expect(e?.type == .law, "\(name)")
            #expect(e?.key == nil, "\(name)")
        }
        #expect(d.entity("Sindh Child Marriages Restraint Act 2013")?.attributes["year"] == "2013")
        // The places inside the names are not separate entities.
        #expect(!d.entities.contains { $0.type == .place })
    }

    @Test func organizationsByHeadWord() {
        let d = analyzed("""
        The Khyber Pakhtunkhwa Commission on the Status of Women met the Ministry of Religious Affairs and \
        Interfaith Harmony, the Legal Aid Foundation and the Standing Committee on Law, Justice, and Human Rights \
        in Lahore. Civil Society was present. The Commission met; the Committee reviewed reports.
        """)
        for name in ["Khyber Pakhtunkhwa Commission on the Status of Women", "Ministry of Religious Affairs and Interfaith Harmony",
                     "Legal Aid Foundation", "Standing Committee on Law, Justice, and Human Rights"] {
            #expect(d.entity(name)?.type == .organization, "\(name)")
            #expect(d.entity(name)?.key == nil, "\(name)")
        }
        #expect(d.key(of: "Lahore") == "lahore")
        #expect(d.entity("Civil Society") == nil)
        #expect(d.entity("Commission") == nil && d.entity("Committee") == nil)
    }

    @Test func dates() {
        let d = analyzed("""
        Adopted on 18 December 1979, in force from September 3, 1981; Pakistan acceded in March 1996. On 28 September \
        this year, and in 2016, the 2016 elections, pages 1583-1588, and the 12th April 1996 report.
        """)
        #expect(d.entity("18 December 1979")?.attributes["value"] == "1979-12-18")
        #expect(d.entity("September 3, 1981")?.attributes["value"] == "1981-09-03")
        #expect(d.entity("March 1996")?.attributes["value"] == "1996-03")
        #expect(d.entity("28 September")?.attributes["value"] == "--09-28")
        #expect(d.entity("2016")?.attributes["value"] == "2016")
        #expect(d.entity("12th April 1996")?.attributes["value"] == "1996-04-12")
        #expect(d.entities.filter { $0.type == .date }.count == 6)
    }

    @Test func bylines() {
        let d = analyzed("Celebrating a decade\nBy: Amanda Siddharta\n\nFor an activist like Sana Ahmed, it is hard.")
        #expect(d.entity("Amanda Siddharta")?.type == .person)
        #expect(d.entity("Sana Ahmed") == nil)
    }
}

// MARK: - Acronyms

struct AcronymTests {
    @Test func longFormThenAcronym() {
        let d = analyzed("The Acid Survivors Foundation (ASF) helps victims. Later the ASF opened a clinic.")
        #expect(d.key(of: "Acid Survivors Foundation") == "acid-survivors-foundation")
        #expect(d.entity("Acid Survivors Foundation")?.attributes["acronym"] == "ASF")
        #expect(d.key(of: "ASF", nth: 0) == "acid-survivors-foundation")
        #expect(d.key(of: "ASF", nth: 1) == "acid-survivors-foundation")
        #expect(d.entity("ASF", nth: 1)?.attributes["definedBy"] == "Acid Survivors Foundation")
        #expect(d.findings.isEmpty)
    }

    @Test func acronymThenLongForm() {
        let d = analyzed("The ASF (Acid Survivors Foundation) helps victims. The ASF also lobbies.")
        #expect(d.key(of: "ASF", nth: 0) == "acid-survivors-foundation")
        #expect(d.key(of: "ASF", nth: 1) == "acid-survivors-foundation")
        let esg = analyzed("Conditions under ESG (Environmental, Social, Governance) standards; ESG rules.")
        #expect(esg.findings.isEmpty)
    }

    @Test func patternFoundLongForms() {
        let d = analyzed("The Legal Aid Foundation (LAF) was founded in Lahore. LAF lawyers took the case.")
        let laf = d.entity("LAF", nth: 1)
        #expect(laf?.type == .organization && laf?.key == nil)
        #expect(laf?.attributes["definedBy"] == "Legal Aid Foundation")
    }

    @Test func schwartzHearstWithoutGazetteer() {
        let d = analyzed("Human Rights Defenders (HRDs) face threats. Non-governmental organizations (NGOs) help HRDs.")
        #expect(d.findings.isEmpty)
        #expect(AcronymFinder.fits("NGOs", "Non-governmental organizations"))
        #expect(!AcronymFinder.fits("XYZ", "Human Rights Defenders"))
    }

    @Test func undefinedAcronymsOncePerAcronym() {
        let d = analyzed("""
        Projects under CPEC bypass consent. CPEC is contested. KHAN et al. (2021) and (USMAN, 2020) say so; Khan agrees.
        The UNHRC and the HRCP know it. Act XVI of 2012. The NGOs and CSOs help.
        """)
        let found = d.findings.filter { $0.kind == .undefinedAcronym }
        #expect(found.count == 1)
        #expect(found.first?.message.contains("\"CPEC\"") == true)
        #expect(found.first?.message.contains("2 times") == true)
        #expect(found.first?.severity == .info)
    }

    @Test func aDocumentDefinitionOverridesTheGazetteer() {
        let d = analyzed("The Pakistan Telecommunication Authority (PTA) blocked sites. The PTA said so.")
        #expect(d.key(of: "PTA", nth: 1) == "pta")
        let other = analyzed("The Parent Teacher Association (PTA) met. The PTA said so.")
        #expect(other.key(of: "PTA", nth: 1) == nil)
    }
}

// MARK: - Facts

struct FactTests {
    static func facts(_ text: String) -> [Finding] {
        analyzed(text).findings.filter { $0.kind == .factMismatch }
    }

    @Test func aWrongTreatyDateIsFlagged() {
        let d = analyzed("Adopted by the United Nations General Assembly in 1978 and entering into force in 1981, CEDAW is a framework.")
        let f = d.findings.filter { $0.kind == .factMismatch }
        #expect(f.count == 1)
        #expect(f.first?.severity == .error)
        let m = f.first?.message ?? ""
        #expect(m.contains("Convention on the Elimination of All Forms of Discrimination against Women"))
        #expect(m.contains("1978"))
        #expect(m.contains("18 December 1979"))
        #expect(m.contains("corporateaccountability.fidh.org"))
        // The finding names the treaty and the date.
        let named = f.first?.entities.map { d.string(d.entities[$0].span) } ?? []
        #expect(named == ["1978", "CEDAW"])
    }

    @Test func correctDatesAreNotFlagged() {
        #expect(FactTests.facts("""
        The International Covenant on Civil and Political Rights (ICCPR), adopted in 1966 and entered into force in 1976, \
        guarantees rights. Additionally, the Optional Protocol to CEDAW, adopted in 1999, allows complaints. The ICESCR, \
        also adopted in 1966 and entered into force in 1976, complements it. Pakistan ratified the ICCPR on 23 June 2010. \
        As of 2023, 189 countries have ratified CEDAW. The Beijing Declaration and Platform for Action, adopted at the \
        Fourth World Conference on Women in 1995, is a landmark. The CRPD was adopted in December 2006.
        """).isEmpty)
    }

    @Test func wrongDatesOfEachKind() {
        let inForce = FactTests.facts("The ICCPR, adopted in 1966 and entered into force in 1977, is key.")
        #expect(inForce.count == 1 && inForce[0].message.contains("23 March 1976"))
        let ratified = FactTests.facts("Pakistan ratified the ICCPR in 2008.")
        #expect(ratified.count == 1 && ratified[0].message.contains("23 June 2010"))
        let never = FactTests.facts("Pakistan ratified the Rome Statute in 2002.")
        #expect(never.count == 1 && never[0].message.contains("has not ratified"))
        #expect(FactTests.facts("Pakistan has not ratified the Rome Statute, adopted in 1998.").isEmpty)
        let precise = FactTests.facts("CEDAW was adopted on 18 November 1979.")
        #expect(precise.count == 1)
        let lawYear = FactTests.facts("Cases under the Anti-Terrorism Act, 1998 rose.")
        #expect(lawYear.count == 1 && lawYear[0].message.contains("1997"))
        #expect(FactTests.facts("Cases under the Anti-Terrorism Act, 1997 rose.").isEmpty)
    }

    @Test func knownVariantsAreNotErrors() {
        let crc = FactTests.facts("Pakistan ratified the CRC on 12 December 1990.")
        #expect(crc.count == 1 && crc[0].severity == .info)
        #expect(crc[0].message.contains("variant"))
        let iccpr = FactTests.facts("The ICCPR was adopted on 19 December 1966.")
        #expect(iccpr.count == 1 && iccpr[0].severity == .info)
        let month = FactTests.facts("Pakistan acceded to CEDAW in April 1996.")
        #expect(month.count == 1 && month[0].severity == .info)
        #expect(FactTests.facts("Pakistan acceded to CEDAW on 12 March 1996.").isEmpty)
        let hrcp = FactTests.facts("The Human Rights Commission of Pakistan, founded in 1987, reports yearly.")
        #expect(hrcp.count == 1 && hrcp[0].severity == .info)
        #expect(FactTests.facts("The Human Rights Commission of Pakistan, founded in 1986, reports yearly.").isEmpty)
    }

    @Test func comparedAtTheStatedPrecision() {
        let a = FactDate(year: 1979, month: nil, day: nil)
        #expect(a.agrees(with: FactDate("1979-12-18")!))
        #expect(FactDate("1979-12")!.agrees(with: FactDate("1979-12-18")!))
        #expect(!FactDate("1979-11")!.agrees(with: FactDate("1979-12-18")!))
        #expect(FactDate("1979-12-18")!.agrees(with: FactDate("1979")!))   // the gazetteer is less precise
    }
}
