import AssayCore
import Testing
@testable import Entities

/// `emit` copies a mention's entity from its entry's template (`Lexicon.entityTemplates`) or from a
/// bare one: the entities must be those built from each mention's fields one by one.
struct EntityTemplatesTests {
    @Test func templatesHoldTheEntriesKeysAndLabels() {
        let lex = defaultStage.lexicon
        #expect(lex.entityTemplates.count == lex.entries.count)
        for (e, t) in lex.entityTemplates.enumerated() {
            #expect(t.key == lex.entries[e].key)
            #expect(t.label == lex.entries[e].label)
            #expect(t.attributes.isEmpty)
        }
    }

    @Test func emittedEntitiesAreTheMentionsFields() {
        var withEntry = 0, madeName = 0, noKey = 0, withAttributes = 0
        for text in NoAttributesTests.texts + ["Article 19-A and section 7 of the PECA; on 5 May 2021 the UN said so."] {
            let a = defaultStage.analyze(plainDocument(text))
            var doc = plainDocument(text)
            a.emit(into: &doc)
            // The order emit writes: by span, then by mention index.
            let kept = a.mentions.indices.filter { !a.mentions[$0].removed }
                .sorted { (a.mentions[$0].start, a.mentions[$0].end, $0) < (a.mentions[$1].start, a.mentions[$1].end, $1) }
            #expect(doc.entities.count == kept.count)
            for (k, i) in zip(doc.entities.indices, kept) {
                let m = a.mentions[i]
                let expected = Entity(type: m.type, span: Span(m.start, m.end), key: a.key(of: m), label: a.label(of: m),
                                      attributes: a.attributes(of: m))
                #expect(doc.entities[k] == expected, "\(text): \(expected)")
                if m.entry != nil { withEntry += 1 } else if m.madeName >= 0 { madeName += 1 } else { noKey += 1 }
                if !expected.attributes.isEmpty { withAttributes += 1 }
            }
        }
        // Each way an entity is made was met (else the texts no longer test it).
        #expect(withEntry > 0 && madeName > 0 && noKey > 0 && withAttributes > 0)
    }
}
