import Testing
@testable import Citations

/// `String.withUTF8InPlace` (a string's bytes read where they lie, no copy of the string made)
/// gives what `withUTF8` on a copy gives, and what reads through it (name keys, key shapes, years,
/// message pieces) give what reading a copy gave.
struct InPlaceReadTests {
    /// Small (at most 15 bytes, held in the string value itself) and large (in storage) strings,
    /// ASCII and not, with `\r\n`, empty, and strings made from slices and by appending.
    static let strings: [String] = {
        var grown = "Khan"
        grown += ", Bhatti, & Jiliani"
        var made = ["", "a", "Khan", "2019", "n.d.", "in press", "fifteen bytes!!", "sixteen bytes!!!", "Padía", "Tomaševski",
                    "O’Brien", "van der Berg", "Suess Schwend", "Line\r\nbreak", "Adler-Nissen", "İstanbul", "ß",
                    String(repeating: "Khan ", count: 40), String(repeating: "Möser ", count: 30), grown,
                    String("  Rahman et al.  ".dropFirst(2).dropLast(2)), String(Substring("The politics of human rights"))]
        made.append(made.joined(separator: " "))
        return made
    }()

    @Test func inPlaceBytesAreTheCopysBytes() {
        for s in Self.strings {
            var copy = s
            let expected = copy.withUTF8 { Array($0) }
            #expect(s.withUTF8InPlace { Array($0) } == expected, "\(s.debugDescription)")
            #expect(expected == Array(s.utf8))
        }
    }

    /// The keys and shapes of names as the copy-reading code made them: ASCII keys from the bytes,
    /// other names folded.
    @Test func keysAndShapesReadInPlaceMatchReadingACopy() {
        for s in Self.strings {
            if !s.utf8.contains(where: { $0 >= 0x80 }) {
                var copy = s
                #expect(Names.key(s) == copy.withUTF8 { Names.asciiKey($0, limit: $0.count) }, "\(s.debugDescription)")
            }
            let key = Names.key(s)
            let shape = Names.Shape(key)
            #expect(shape.characters == key.count && shape.scalars == key.unicodeScalars.count, "\(key.debugDescription)")
            #expect(shape.letters == key.unicodeScalars.reduce(0) { $0 | 1 << UInt64($1.value & 63) })
            #expect(Linker.normalizeYear(s) == (s.utf8.count == 4 && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? s
                : ["nd", "nodate"].contains(key) ? "n.d." : ["inpress", "forthcoming"].contains(key) ? "in press" : key))
            #expect(CitationFindings.longer(s, than: 10) == (s.count > 10), "\(s.debugDescription)")
            #expect(ReferenceParser.hasNumber(s) == s.contains { $0.isNumber }, "\(s.debugDescription)")
        }
    }

    /// A string interpolated into a message is written as it is, whatever its size and bytes.
    @Test func messagePiecesAreTheStringsAsTheyAre() {
        for s in Self.strings {
            let m: Message = "[\(s)]"
            #expect(m.text == "[" + s + "]", "\(s.debugDescription)")
        }
    }
}
