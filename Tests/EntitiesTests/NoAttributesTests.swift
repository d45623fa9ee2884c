import AssayCore
import Testing
@testable import Entities

/// `emit` skips `attributes(of:)` for a mention whose `hasNoAttributes` is true (most mentions):
/// the two must agree on every mention, whichever attribute it has.
struct NoAttributesTests {
    /// Texts whose mentions have each attribute `attributes(of:)` writes.
    static let texts = [
        "By: Amanda Siddharta\n\nThe Acid Survivors Foundation (ASF) met on 18 December 1979. The ASF met again in March 1996.",
        "The Human Rights Committee (HRC) monitors the Covenant. The HRC reviewed Pakistan in 2017.",
        "Under the ICCPR, the HRC adopted a general comment and its concluding observations on Pakistan.",
        "The HRC said so.",
        "Both Optional Protocols to the CRC matter.",
        "Article 19 of the Constitution protects speech; Art. 25(a) of the ICCPR on participation; Article 19-A was added.",
        "The Sindh Child Marriages Restraint Act 2013 followed the Defamation Ordinance, 2002.",
    ]

    @Test func agreesWithTheAttributesWritten() {
        var seen: Set<String> = []
        for text in Self.texts {
            let a = defaultStage.analyze(plainDocument(text))
            for m in a.mentions where !m.removed {
                let written = a.attributes(of: m)
                #expect(m.hasNoAttributes == written.isEmpty, "\(text): \(written)")
                seen.formUnion(written.keys)
            }
        }
        // Every attribute was met (else the texts above no longer test it).
        #expect(seen == ["acronym", "definedBy", "resolvedBy", "alternatives", "instrument", "protocolTo", "number", "year",
                         "value", "role"])
    }
}
