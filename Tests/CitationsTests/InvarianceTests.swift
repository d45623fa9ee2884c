import AssayCore
import Foundation
import Testing
@testable import Citations

/// Findings do not change when the same article is hard-wrapped, cites narratively instead of in
/// parentheses, or is served as a web page.
struct InvarianceTests {
    static let paragraphs = [
        "Human rights and international politics interact in complicated ways, especially for developing countries such as Pakistan, whose obligations are often hard to carry out (Barnett, 2020). Much of the literature ignores structural reasons (Smith & Jones, 2017).",
        "Compliance with treaties is uneven across provinces and institutions, and the courts have rarely enforced them against the state (Khan et al., 2021). Observers disagree about the causes (Nobody, 2018).",
        "Monitoring bodies face limits of their own, from budgets to mandates, that keep them from acting quickly (Allen, 2019). Reforms are debated in parliament every year (Ali, 2021).",
    ]
    static let narrative = [
        "Human rights and international politics interact in complicated ways, especially for developing countries such as Pakistan; Barnett (2020) shows that their obligations are often hard to carry out. Smith and Jones (2017) find that much of the literature ignores structural reasons.",
        "Compliance with treaties is uneven across provinces and institutions, and Khan et al. (2021) find that the courts have rarely enforced them against the state. Nobody (2018) disagrees about the causes.",
        "Monitoring bodies face limits of their own, from budgets to mandates; Allen (2019) argues that they keep them from acting quickly. Ali (2021) reports that reforms are debated in parliament every year.",
    ]
    static let references = [
        "Ali, S.S., 2021. *Gender and human rights in Islam and international law*. Brill.",
        "Allen, L., 2020. *The rise and fall of human rights: Cynicism and politics in occupied Palestine*. Stanford University Press.",
        "Barnett, J., 2020. Global environmental change II: Political economies of vulnerability to climate change. *Progress in Human Geography*, 44(6), pp.1172-1184.",
        "Foot, R., 2020. *Human rights and counter-terrorism in America's Asia policy*. Routledge.",
        "Khan, A., Usman, M. and Riaz, N., 2021. The intersectionality of human rights: addressing multiple discrimination. *International Review of Social Sciences*, 9(5), pp.310-316.",
        "Khan, A., Bhatti, S.H. and Jiliani, M., 2021. An overview on individual criminal liability for the crime of aggression. *Liberal Arts and Social Sciences International Journal*, 5(1), pp.1-12.",
        "Smith, J. and Jones, K., 2017. Structural reasons for human rights violations in South Asia. *Journal of Human Rights*, 16(2), pp.100-120.",
        "Ali, S.S., 2021. *Gender and human rights in Islam and international law*. Brill.",
    ]

    static func plain(_ paras: [String]) -> String {
        "Human Rights in Pakistan\n\nINTRODUCTION\n\n" + paras.joined(separator: "\n\n") + "\n\nREFERENCES\n\n"
            + references.map { "- " + $0 }.joined(separator: "\n") + "\n"
    }

    static func wrap(_ s: String, width: Int) -> String {
        var out: [String] = []
        for line in s.components(separatedBy: "\n") {
            var cur = ""
            for w in line.split(separator: " ", omittingEmptySubsequences: false) {
                if !cur.isEmpty, cur.count + 1 + w.count > width {
                    out.append(cur)
                    cur = line.hasPrefix("- ") ? "  " + w : String(w)
                } else {
                    cur = cur.isEmpty ? String(w) : cur + " " + w
                }
            }
            out.append(cur)
        }
        return out.joined(separator: "\n")
    }

    static func html(_ paras: [String]) -> String {
        func inline(_ s: String) -> String {
            var out = ""
            var open = false
            for ch in s {
                if ch == "*" { out += open ? "</i>" : "<i>"; open.toggle() } else if ch == "&" { out += "&amp;" } else { out.append(ch) }
            }
            return out
        }
        return """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>Human Rights in Pakistan</title></head><body>
        <nav><a href="/">Home</a> <a href="/about">About</a></nav>
        <article><h1>Human Rights in Pakistan</h1><h2>INTRODUCTION</h2>
        \(paras.map { "<p>\(inline($0))</p>" }.joined(separator: "\n"))
        <h2>REFERENCES</h2><ul>
        \(references.map { "<li>\(inline($0))</li>" }.joined(separator: "\n"))
        </ul></article><footer>© 2024 Journal</footer></body></html>
        """
    }

    /// What the findings say, independent of offsets and of how a citation is written.
    static func signature(_ d: Document) -> [String] {
        d.findings.filter { structuralKinds.contains($0.kind) }.map { f in
            let c = f.citations.map { i in
                let x = d.citations[i]
                return "\(x.authors.joined(separator: "+"))\(x.etAl ? "+etal" : "") \(x.year)"
            }
            let r = f.references.map { i in
                let x = d.references[i]
                return "\(x.authors.first?.family ?? "") \(x.year ?? "") \(x.title?.prefix(20) ?? "")"
            }
            return "\(f.kind.rawValue) \(c) \(r)"
        }.sorted()
    }

    @Test func wrappingNarrativeAndHTMLGiveTheSameFindings() throws {
        let base = try TestDocs.run(TestDocs.ingest(Self.plain(Self.paragraphs)))
        let sig = Self.signature(base)
        // the reference document itself: one orphan (Nobody), one year mismatch (Allen), one duplicate
        // (Ali), an ambiguity (Khan et al., 2021), uncited Foot
        #expect(sig.contains { $0.hasPrefix("orphan-citation [\"Nobody 2018\"]") })
        #expect(sig.contains { $0.hasPrefix("year-mismatch [\"Allen 2019\"]") })
        #expect(sig.contains { $0.hasPrefix("duplicate-reference") })
        #expect(sig.contains { $0.hasPrefix("ambiguous-citation [\"Khan+etal 2021\"]") })
        #expect(sig.contains { $0.hasPrefix("uncited-reference [] [\"Foot 2020") })
        #expect(sig.count == 5, "\(sig)")

        let wrapped = try TestDocs.run(TestDocs.ingest(Self.wrap(Self.plain(Self.paragraphs), width: 60)))
        #expect(Self.signature(wrapped) == sig)
        #expect(wrapped.findings.map(\.message) == base.findings.map(\.message))

        let narrative = try TestDocs.run(TestDocs.ingest(Self.plain(Self.narrative)))
        #expect(Self.signature(narrative) == sig)
        #expect(narrative.citations.allSatisfy { $0.style == .narrative })

        let web = try TestDocs.run(TestDocs.ingest(Self.html(Self.paragraphs), source: "t.html"))
        #expect(Self.signature(web) == sig)

        let wrappedNarrative = try TestDocs.run(TestDocs.ingest(Self.wrap(Self.plain(Self.narrative), width: 50)))
        #expect(Self.signature(wrappedNarrative) == sig)
    }
}
