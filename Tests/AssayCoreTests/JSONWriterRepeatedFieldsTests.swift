import Foundation
import Testing

@testable import AssayCore

/// The writer writes an entity's shared attributes once (`fields(repeatedAs:)`) and copies them
/// after: the same bytes as writing them each time.
@Suite struct JSONWriterRepeatedFieldsTests {
    /// Fields written once and copied after (by an identity: here an index, as the record writer
    /// uses a dictionary's address), between strings cached by `string(repeated:)` and in arrays:
    /// the same bytes as writing them each time.
    @Test func repeatedFieldsAreWrittenAsTheFirstTime() {
        let sets: [[(String, String)]] = [
            [("value", "2019-12-18")], [("definedBy", "Convention on the Rights of the Child")],
            [("instrument", "pk-ppc-1860"), ("number", "295-C")], [("role", "byline")], [("acronym", "say \"no\"")],
        ]
        func fields(_ w: inout JSONWriter, _ set: [(String, String)]) {
            for (k, v) in set {
                w.key(string: k)
                w.string(repeated: v)
            }
        }
        func written(repeated: Bool) -> String {
            var w = JSONWriter(capacity: 64)
            w.beginArray()
            for round in 0..<40 {
                let k = (round * 7 + round / 5) % sets.count
                w.beginObject(id: "e", round)
                w.key("label")
                w.string(repeated: sets[(k + 1) % sets.count][0].1)
                if repeated {
                    w.fields(repeatedAs: UInt(k + 1)) { fields(&$0, sets[k]) }
                } else {
                    fields(&w, sets[k])
                }
                w.endObject()
                if round % 3 == 0 { w.string(sets[k][0].0) }
            }
            w.endArray()
            return String(decoding: w.bytes, as: UTF8.self)
        }
        let plain = written(repeated: false)
        #expect(written(repeated: true) == plain)
        #expect(plain.hasPrefix(#"[{"id":"e0","label":"Convention on the Rights of the Child","value":"2019-12-18"}"#))
    }
}
