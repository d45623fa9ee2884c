import Foundation
import Testing

@testable import AssayCore

@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // 56 bytes: the padding spills into a second block.
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Both block functions (SHA extensions where the CPU has them, portable rounds) give the same
    /// digest at every tail length, including the ones whose padding spills into a second block.
    @Test func cpuExtensionsAgreeWithPortableRounds() {
        #expect(SHA256.hexString(SHA256.portableDigest(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var state: UInt64 = 0x9E3779B97F4A7C15
        var bytes: [UInt8] = []
        for length in 0...300 {
            #expect(SHA256.digest(bytes) == SHA256.portableDigest(bytes), "length \(length)")
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: state >> 56))
        }
    }

    @Test func documentIdIsTheDigestPrefix() {
        let d = Document(source: "x", raw: Array("abc".utf8))
        #expect(d.id == "ba7816bf8f01cfea")
        #expect(d.sha256.count == 64)
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesControlCharactersAndQuotes() {
        var w = JSONWriter()
        w.beginObject()
        w.key(string: "a\"b")  // keys from data are escaped like values
        w.string("line\nbreak\ttab \\ \u{01} é 𝐀")
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "{\"a\\\"b\":\"line\\nbreak\\ttab \\\\ \\u0001 é 𝐀\"}")
    }

    /// The scan (sixteen bytes a step, then eight, then one) must see a byte to escape wherever it
    /// sits, among ASCII letters and among bytes from 0x80 up (negative to SSE2's signed compares).
    @Test func escapesEveryByteThatNeedsItAtEveryPosition() {
        for filler: UInt8 in [UInt8(ascii: "a"), 0x80, 0xFF] {
            for special: UInt8 in [0x00, 0x09, 0x0A, 0x1F, 0x22, 0x5C, 0x7F] {
                for length in 1...40 {
                    for at in 0..<length {
                        var s = [UInt8](repeating: filler, count: length)
                        s[at] = special
                        var w = JSONWriter()
                        w.string(utf8: s)
                        #expect(w.bytes == jsonQuotedByteByByte(s), "byte \(special) at \(at) of \(length) among \(filler)")
                    }
                }
            }
        }
        // Bytes that look close to the specials stay as they are.
        var w = JSONWriter()
        w.string(utf8: Array(" !#[]^~\u{80}".utf8) + [0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x20, 0x21, 0x5D])
        #expect(String(decoding: w.bytes, as: UTF8.self) == "\" !#[]^~\u{80}!#[]~ !]\"")
    }

    /// Every byte value, in each half of the scan's 32-byte step, in its 16-byte steps and in the
    /// short rest: the scan's classification (controls and `"` in one test) against the byte-by-byte one.
    @Test func escapesExactlyTheBytesThatNeedItAmongAllValues() {
        for filler: UInt8 in [UInt8(ascii: "a"), 0x80, 0xFF, 0x20] {
            for b in 0...255 {
                for at in [0, 7, 15, 16, 31, 32, 47, 48, 70, 79] {
                    var s = [UInt8](repeating: filler, count: 80)
                    s[at] = UInt8(b)
                    var w = JSONWriter()
                    w.string(utf8: s)
                    #expect(w.bytes == jsonQuotedByteByByte(s), "byte \(b) at \(at) among \(filler)")
                }
            }
        }
    }

    @Test func idsArePrefixAndNumber() {
        var w = JSONWriter()
        w.beginArray()
        w.id("e", 1)
        w.id("r", 120)
        w.endArray()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"["e1","r120"]"#)
    }

    @Test func numbersHaveOneFormat() {
        #expect(JSONWriter.format(0.03) == "0.03")
        #expect(JSONWriter.format(1) == "1")
        #expect(JSONWriter.format(0.123456) == "0.1235")
        #expect(JSONWriter.format(-2.5) == "-2.5")
        #expect(JSONWriter.format(.nan) == "0")
    }

    @Test func nestedArraysAndObjectsGetCommasRight() {
        var w = JSONWriter()
        w.beginObject()
        w.stringArray("xs", ["a", "b"])
        w.key("o")
        w.beginArray()
        w.beginObject(); w.field("n", 1); w.endObject()
        w.beginObject(); w.field("n", 2); w.field("t", true); w.endObject()
        w.endArray()
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"xs":["a","b"],"o":[{"n":1},{"n":2,"t":true}]}"#)
    }
}

@Suite struct OffsetTests {
    @Test func scalarIndexCountsCodePointsNotBytesOrGraphemes() {
        // "e" + combining acute is two scalars; the astral letter is one scalar, four bytes.
        let s = "ab é 𝐀 x" + String(repeating: "ü", count: 100) + "z"
        let bytes = Array(s.utf8)
        let index = ScalarIndex(bytes)
        #expect(index.scalarOffset(0) == 0)
        #expect(index.scalarOffset(bytes.count) == s.unicodeScalars.count)
        let zByte = bytes.count - 1
        #expect(index.scalarOffset(zByte) == s.unicodeScalars.count - 1)
        var byteOffset = 0
        for (n, scalar) in s.unicodeScalars.enumerated() {
            #expect(index.scalarOffset(byteOffset) == n)
            byteOffset += String(scalar).utf8.count
        }
    }

    @Test func sourceMapFollowsCopiedAndSyntheticBytes() {
        var b = TextBuilder()
        b.append(Array("Hello".utf8), sourceOffset: 10)  // text 0..<5 from input 10..<15
        b.appendSynthetic([0x20], sourceOffset: 15)  // a joining space for the input's line break
        b.append(Array("world".utf8), sourceOffset: 20)  // text 6..<11 from input 20..<25
        let (bytes, map) = b.finish()
        #expect(String(decoding: bytes, as: UTF8.self) == "Hello world")
        #expect(map.sourceOffset(forTextOffset: 0) == 10)
        #expect(map.sourceOffset(forTextOffset: 4) == 14)
        #expect(map.sourceOffset(forTextOffset: 5) == 15)
        #expect(map.sourceOffset(forTextOffset: 6) == 20)
        #expect(map.sourceOffset(forTextOffset: 10) == 24)
    }

    @Test func lineAndColumnAreOneBasedInScalars() {
        let text = Array("first\nsé𝐀cond line".utf8)
        let offset = Array("first\nsé𝐀".utf8).count
        let lc = lineAndColumn(in: text, at: offset)
        #expect(lc.line == 2)
        #expect(lc.column == 4)
    }
}

@Suite struct StageSettingsTests {
    @Test func readsTypedValuesAndReportsUnknownOnes() throws {
        var s = StageSettings(file: "p.yaml", stage: "x", stageLine: 3, values: [
            "threshold": (.number(0.5), 4), "names": (.list([.string("a"), .string("b")]), 5), "typo": (.bool(true), 6),
        ])
        #expect(try s.double("threshold", default: 1) == 0.5)
        #expect(try s.strings("names", default: []) == ["a", "b"])
        #expect(try s.int("missing", default: 7) == 7)
        #expect(s.unknown.map(\.key) == ["typo"])
        #expect(s.unknown.map(\.line) == [6])
    }

    @Test func wrongTypeNamesTheFileAndLine() {
        var s = StageSettings(file: "p.yaml", stage: "x", stageLine: 3, values: ["threshold": (.string("high"), 4)])
        #expect(throws: ConfigError(file: "p.yaml", line: 4, message: "stage 'x', setting 'threshold': expected a number")) {
            try s.double("threshold", default: 1)
        }
    }
}

@Suite struct RecordWriterTests {
    @Test func spansBecomeScalarOffsetsAndIdsFollowTextOrder() throws {
        var d = Document(source: "t.txt", raw: Array("x".utf8))
        d.textBytes = Array("Tomaševski (2021) and CEDAW".utf8)
        let cedaw = Array("Tomaševski (2021) and ".utf8).count
        // Added out of order: the writer sorts and numbers them.
        d.entities = [Entity(type: .treaty, span: Span(cedaw, cedaw + 5), key: "cedaw", label: "Convention"),
                      Entity(type: .person, span: Span(0, Array("Tomaševski".utf8).count))]
        d.findings = [Finding(kind: .undefinedAcronym, message: "m", entities: [0])]
        let json = try #require(try JSONSerialization.jsonObject(with: Data(RecordWriter.json(d))) as? [String: Any])
        let entities = try #require(json["entities"] as? [[String: Any]])
        #expect(entities.map { $0["id"] as? String } == ["e1", "e2"])
        #expect(entities[0]["start"] as? Int == 0 && entities[0]["end"] as? Int == 10)
        #expect(entities[1]["start"] as? Int == 22 && entities[1]["text"] as? String == "CEDAW")
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings[0]["entities"] as? [String] == ["e2"])
        #expect(findings[0]["severity"] as? String == "info")
        let doc = try #require(json["document"] as? [String: Any])
        #expect(doc["textLength"] as? Int == 27)
    }
}

/// `s` as a JSON string, quoted and escaped one byte at a time: what the writer's escape scans
/// must give.
func jsonQuotedByteByByte(_ s: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x22]
    for b in s {
        switch b {
        case 0x22: out += Array("\\\"".utf8)
        case 0x5C: out += Array("\\\\".utf8)
        case 0x0A: out += Array("\\n".utf8)
        case 0x0D: out += Array("\\r".utf8)
        case 0x09: out += Array("\\t".utf8)
        case 0..<0x20, 0x7F:
            let hex = Array("0123456789abcdef".utf8)
            out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
        default: out.append(b)
        }
    }
    return out + [0x22]
}
