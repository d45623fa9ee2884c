import AssayCore
import Foundation
import Testing

@testable import Ingest

/// The byte scans that replaced string work or separate passes give the answers of what they replaced.
@Suite struct ByteScanTests {
    /// Inputs around what the one-pass UTF-8 scan decides: controls, NUL bytes, non-ASCII next to
    /// ASCII, marks, invalid sequences, and the end of the 64 KB control sample.
    static let inputs: [[UInt8]] = {
        var out: [[UInt8]] = [
            Array("plain words and a line\nand another\r\nwith\ta tab and a form feed\u{0C}.".utf8),
            Array("controls \u{01}\u{02} in the middle of a sentence, \u{1B} escape".utf8),
            Array("“Quoted” — dashes – and é, ü, 中文 and 😀 mixed with ASCII text here".utf8),
            Array("e\u{0301} combining, \u{212B} Ångström sign, \u{1100}\u{1161} jamo".utf8),
            Array("abc".utf8) + [0x00, 0x41, 0x00, 0x42] + Array(" NULs at even and odd offsets".utf8),
            Array("invalid ".utf8) + [0xC3, 0x28] + Array(" sequence".utf8),
            Array("truncated at the end ".utf8) + [0xE2, 0x80],
            Array("overlong ".utf8) + [0xE0, 0x80, 0x80],
            [0xFF] + Array(" windows-1252 ".utf8) + [0x93, 0x94],
        ]
        for tail: [UInt8] in [[0x01], [0xC3, 0xA9, 0x01], [0x0A, 0x0B, 0x0C], [0x00, 0x20]] {
            for shift in 0..<10 {
                out.append([UInt8](repeating: 0x61, count: 65536 - 5 + shift) + tail + Array(" after".utf8))
            }
        }
        return out
    }()

    @Test(arguments: 0..<inputs.count)
    func oneScanAnswersAsTheSeparatePasses(_ index: Int) {
        let raw = Self.inputs[index]
        let scan = TextDecoding.scanUTF8(raw)
        #expect(scan.valid == (String(validating: raw, as: UTF8.self) != nil))
        let profile = TextDecoding.controlProfile(raw)
        #expect(scan.profile.total == profile.total && scan.profile.even == profile.even && scan.profile.odd == profile.odd)
        #expect(scan.profile.sampled == profile.sampled && scan.profile.controls == profile.controls)
        if scan.valid { #expect(scan.mayChangeUnderNFC == Ingestion.mayChangeUnderNFC(raw)) }
    }

    static let labelBlocks: [String] = [
        "Keywords: a, b", "KEY WORDS — x", "Keywords—y", "Keywords\u{0301}: z", "Keywordś", "“Keywords”: q",
        "\u{212A}eywords: kelvin", "Ké", "Index terms. t", "ABSTRACT", "Abstract:\u{0301}", "Summaryé", "Summary é",
        "• Abstract", "Abstract\u{00A0}text", "Abstracts", "abstract- x",
    ]

    @Test func labelsOnBytesAnswerAsOnStrings() {
        for s in Self.labelBlocks {
            let text = Array(s.utf8)
            let block = Block(kind: .paragraph, span: Span(0, text.count))
            for labels in [SectionDetector.keywordLabels, SectionDetector.abstractLabels] {
                let onStrings = SectionDetector.startsWithLabel(String(decoding: text.prefix(32), as: UTF8.self), labels.map { "\($0)" })
                #expect(SectionDetector.startsWithLabel(text, block, labels) == onStrings, "\(s)")
            }
        }
    }

    @Test func everyLabelLookedForPassesTheFirstByteFilter() {
        let wanted = SectionDetector.referenceLabels.union(["keywords", "key words", "index terms", "abstract", "summary"])
        for label in wanted {
            for shape in [label, label.uppercased(), "5. " + label.capitalized + ":", " 12) " + label, "²" + label] {
                let text = Array(shape.utf8)
                let span = Span(0, text.count)
                if wanted.contains(SectionDetector.normalizedLabel(text, span)) {
                    #expect(SectionDetector.mayStartLabel(text, span), "\(shape)")
                }
            }
        }
        #expect(!SectionDetector.mayStartLabel(Array("1. Methods".utf8), Span(0, 10)))  // no label starts with "m"
    }

    /// Markup bytes in every position of a run the writer copies: the text must not depend on where
    /// the eight-byte steps fall.
    @Test func markupAtEveryOffsetOfAWord() throws {
        for pad in 0..<9 {
            let lead = String(repeating: "a", count: pad)
            let d = try ingest("# Title\n\n\(lead) one *two* three  four [link](http://x.org) <b>bold</b> \\*no\\* end\n")
            #expect(blockTexts(d).last == "\(lead) one two three four link bold *no* end".trimmingCharacters(in: .whitespaces))
        }
    }
}
