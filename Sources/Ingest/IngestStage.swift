import AssayCore
import CByteScan
import Foundation

/// The first stage: input bytes to clean text with blocks and sections.
///
/// Settings:
/// - `maxBytes`: inputs larger than this are refused with a `too-large` error (default 64 MiB).
public struct IngestStage: Stage {
    public static let name = "ingest"
    public let maxBytes: Int

    public init(settings: inout StageSettings, context: PipelineContext) throws {
        maxBytes = try settings.int("maxBytes", default: 64 << 20, in: 1...(1 << 40))
    }

    public init(maxBytes: Int = 64 << 20) {
        self.maxBytes = maxBytes
    }

    public func process(_ document: inout Document) throws {
        let raw = document.raw
        if raw.count > maxBytes {
            throw InputError(.tooLarge, "\(raw.count) bytes is more than the pipeline's ingest.maxBytes (\(maxBytes))")
        }
        let decoded = try TextDecoding.decode(raw)
        let mayCompose = decoded.mayChangeUnderNFC
        let source = mayCompose ? Ingestion.toNFC(decoded.utf8) : decoded.utf8
        document.encoding = decoded.encoding
        document.mediaType = MediaSniffer.detect(source, path: document.source)
        let ingested: IngestedText
        switch document.mediaType {
        case .html: ingested = HTMLExtractor.extract(utf8: source)
        case .markdown: ingested = PlainTextNormalizer.normalize(source, markdown: true)
        case .plain: ingested = PlainTextNormalizer.normalize(source, markdown: false)
        }
        // The input is NFC already; joining its pieces can only break that where a piece starts
        // with a combining mark, which needs marks in the input. Offsets must not move, so a text
        // that would change length keeps its (already composed) pieces as they are.
        document.textBytes = ingested.bytes
        if mayCompose {
            let composed = Ingestion.toNFC(ingested.bytes)
            if composed.count == ingested.bytes.count { document.textBytes = composed }
        }
        document.sourceMap = ingested.map
        document.blocks = ingested.blocks
        document.emphasis = ingested.emphasis
        let found = SectionDetector.detect(document.textBytes, document.blocks, knownTitle: ingested.title)
        document.sections = found.sections
        document.title = found.title
        document.raw = []
    }
}

public enum Ingestion {
    /// NFC, skipping the work for text that cannot change (no byte that starts a combining mark or a
    /// composable sequence).
    public static func toNFC(_ utf8: [UInt8]) -> [UInt8] {
        guard mayChangeUnderNFC(utf8) else { return utf8 }
        let utf8 = streamSafe(utf8)
        // Foundation's normalizer moves the rest of its buffer at each change it makes, so a text
        // full of marks cost the square of its length (1 MB of "e\u{301}": minutes). It is
        // normalized in pieces instead, each cut before a character nothing earlier can combine
        // with or be reordered past: the whole text's NFC is then its pieces' NFC, joined.
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var start = 0
        while start < utf8.count {
            let end = nfcPieceEnd(utf8, from: start)
            out += String(decoding: utf8[start..<end], as: UTF8.self).precomposedStringWithCanonicalMapping.utf8
            start = end
        }
        return out
    }

    /// The most non-starters (characters of a combining class other than 0) in a row `toNFC`
    /// passes on as they are: Unicode's Stream-Safe Text Format (UAX #15).
    static let maxNonStarters = 30

    /// `utf8` in the Stream-Safe Text Format: a combining grapheme joiner (U+034F) before the
    /// next non-starter after each `maxNonStarters` in a row. A run of marks cannot be cut for the
    /// normalizer, and its work grows with the square of the run (80 KB of one letter's marks:
    /// 3.6 s, 320 KB: 55 s); only made-up text has such runs ("Zalgo" text), and a joiner is where
    /// the normalizer may cut it, as UAX #15 means it to be. Text without such a run is returned as
    /// it is.
    static func streamSafe(_ utf8: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var copied = 0
        utf8.withUnsafeBufferPointer { s in
            var run = 0
            var i = 0
            while i < s.count {
                let b = s[i]
                if b < 0xCC {
                    // ASCII and U+0080-U+02FF: starters
                    run = 0
                    i += b < 0xC0 ? 1 : 2
                    continue
                }
                let (v, len) = UTF8Scalar.decode(s, i, s.count)
                guard let scalar = Unicode.Scalar(v), scalar.properties.canonicalCombiningClass != .notReordered else {
                    run = 0
                    i += len
                    continue
                }
                if run == maxNonStarters {
                    // a joiner before the run's next non-starter
                    if out.isEmpty { out.reserveCapacity(s.count + s.count / 32) }
                    out += s[copied..<i]
                    out += [0xCD, 0x8F]  // U+034F
                    copied = i
                    run = 0
                }
                run += 1
                i += len
            }
        }
        guard copied > 0 else { return utf8 }
        out += utf8[copied...]
        return out
    }

    /// Bytes of a piece `toNFC` normalizes on its own (at least; it ends at the next cut).
    static let nfcPieceBytes = 4096

    /// Where the piece of `utf8` starting at `from` ends: at the first scalar, `nfcPieceBytes` or
    /// more after `from`, that is a starter no earlier character composes with (below U+0300, or
    /// one `scalarMayChangeUnderNFC` clears: no mark, no jamo, no singleton), just after a
    /// combining grapheme joiner (see `streamSafe`), or at the end.
    static func nfcPieceEnd(_ utf8: [UInt8], from: Int) -> Int {
        utf8.withUnsafeBufferPointer { s in
            var i = from + nfcPieceBytes
            while i < s.count {
                let b = s[i]
                if b & 0xC0 == 0x80 { i += 1; continue }  // inside a scalar
                if b < 0xCC { return i }  // ASCII and U+0080-U+02FF
                let (v, len) = UTF8Scalar.decode(s, i, s.count)
                if !scalarMayChangeUnderNFC(v) { return i }
                // after a joiner: the marks after it attach to it, which composes with nothing
                if v == 0x034F { return i + len }
                i += len
            }
            return s.count
        }
    }
}

extension Ingestion {
    /// A quick check over bytes: text can change under NFC only if it holds a combining mark, a
    /// Hangul jamo, or one of the few characters NFC replaces by another (Ω sign, Å sign, CJK
    /// compatibility ideographs, …). Curly quotes, dashes and precomposed letters pass untouched,
    /// so most documents skip the normalizer altogether.
    static func mayChangeUnderNFC(_ utf8: [UInt8]) -> Bool {
        utf8.withUnsafeBufferPointer { s in
            var i = 0
            let n = s.count
            while i < n {
                if i + 8 <= n, asciiWord(s, i) { i += 8; continue }
                let b = s[i]
                if b < 0xCC { i += b < 0x80 ? 1 : 2; continue }  // ASCII and U+0080-U+02FF: no marks
                let (v, len) = UTF8Scalar.decode(s, i, n)
                i += len
                if scalarMayChangeUnderNFC(v) { return true }
            }
            return false
        }
    }

    /// Whether the scalar `v` (U+0300 or above) is one that can make text change under NFC.
    static func scalarMayChangeUnderNFC(_ v: UInt32) -> Bool {
        // General punctuation, currency and letterlike symbols never change (but for the
        // few singletons below): skip the property lookup for quotes and dashes.
        if (0x2010...0x206F).contains(v) || (0x20A0...0x20CF).contains(v) { return false }
        if (0x1100...0x11FF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x2F800...0x2FA1F).contains(v) || v == 0x2126 || v == 0x212A || v == 0x212B
            || v == 0x2000 || v == 0x2001 || (0x0340...0x0344).contains(v) || v == 0x0374 || v == 0x037E || v == 0x0387 {
            return true
        }
        if isReplacedUnderNFC(v) { return true }
        guard let scalar = Unicode.Scalar(v) else { return false }
        if scalar.properties.canonicalCombiningClass != .notReordered { return true }
        // Marks with class 0 can still compose (e.g. Indic vowel signs).
        return scalar.properties.generalCategory == .spacingMark || scalar.properties.generalCategory == .nonspacingMark
    }

    /// The letters and signs of class 0 NFC replaces although nothing combines with them: the
    /// composition exclusions (Devanagari QA U+0958, Hebrew presentation forms, musical symbols)
    /// and the Greek oxia and angle-bracket singletons (Unicode's DerivedNormalizationProps,
    /// NFC_QC=No, less the ranges checked above).
    static let replacedUnderNFC: [ClosedRange<UInt32>] = [
        0x0958...0x095F, 0x09DC...0x09DD, 0x09DF...0x09DF, 0x0A33...0x0A33, 0x0A36...0x0A36, 0x0A59...0x0A5B,
        0x0A5E...0x0A5E, 0x0B5C...0x0B5D, 0x0F43...0x0F43, 0x0F4D...0x0F4D, 0x0F52...0x0F52, 0x0F57...0x0F57,
        0x0F5C...0x0F5C, 0x0F69...0x0F69, 0x1F71...0x1F71, 0x1F73...0x1F73, 0x1F75...0x1F75, 0x1F77...0x1F77,
        0x1F79...0x1F79, 0x1F7B...0x1F7B, 0x1F7D...0x1F7D, 0x1FBB...0x1FBB, 0x1FBE...0x1FBE, 0x1FC9...0x1FC9,
        0x1FCB...0x1FCB, 0x1FD3...0x1FD3, 0x1FDB...0x1FDB, 0x1FE3...0x1FE3, 0x1FEB...0x1FEB, 0x1FEE...0x1FEF,
        0x1FF9...0x1FF9, 0x1FFB...0x1FFB, 0x1FFD...0x1FFD, 0x2329...0x232A, 0x2ADC...0x2ADC, 0xFB1D...0xFB1D,
        0xFB1F...0xFB1F, 0xFB2A...0xFB36, 0xFB38...0xFB3C, 0xFB3E...0xFB3E, 0xFB40...0xFB41, 0xFB43...0xFB44,
        0xFB46...0xFB4E, 0x1D15E...0x1D164, 0x1D1BB...0x1D1C0,
    ]

    /// Whether `v` is in `replacedUnderNFC` (only scalars from U+0958 on can be: one compare for
    /// the Latin-script text most documents are).
    @inline(__always) static func isReplacedUnderNFC(_ v: UInt32) -> Bool {
        guard v >= 0x0958, v <= 0x1D1C0 else { return false }
        return replacedUnderNFC.contains { $0.contains(v) }
    }
}

/// True when the 8 bytes at `i` are all ASCII: lets byte scanners skip plain text a word at a time.
@inline(__always) func asciiWord(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
    UnsafeRawPointer(s.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
}

/// Byte scanners read 8 bytes at a time as one little-endian word and mark bytes in it: each mask has
/// 0x80 in exactly the bytes that match.
enum ByteMask {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always) static func word(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(s.baseAddress! + i).loadUnaligned(as: UInt64.self)
    }

    /// The bytes equal to `b`.
    @inline(__always) static func equal(_ w: UInt64, _ b: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(b))
        return ~(((x & ~highs) &+ ~highs) | x | ~highs)
    }

    /// How many bytes a mask marks: its bytes (0 or 1 each once shifted down) summed by one multiply
    /// (the build has no population count instruction).
    @inline(__always) static func count(_ mask: UInt64) -> Int {
        Int(truncatingIfNeeded: ((mask >> 7) &* ones) >> 56)
    }

    /// The bytes below `limit` (at most 0x80).
    @inline(__always) static func below(_ w: UInt64, _ limit: UInt8) -> UInt64 {
        ~(((w & ~highs) &+ ones &* UInt64(0x80 - limit)) | w) & highs
    }
}

/// A bit per byte of a buffer, marking the bytes a rule picks, found in one pass (C, 64 bytes a step):
/// the next marked byte from any position is then a few word operations away, where a scan per
/// search (`assay_first_of`, a call per line) spent most of its instructions setting up.
struct ByteMarks {
    private let words: [UInt64]
    /// The buffer's length: what `next(from:)` answers when no byte is marked from there on.
    let count: Int

    /// The bytes of `s` that are one of the `setCount` bytes packed in `set` lowest first.
    init(_ s: UnsafeBufferPointer<UInt8>, set: UInt64, count setCount: Int32) {
        self.init(s) { assay_byte_set_masks($0, $1, set, setCount, $2) }
    }

    /// Marks from `fill`, which writes the `s.count / 64 + 1` words of a non-empty buffer.
    private init(_ s: UnsafeBufferPointer<UInt8>,
                 fill: (UnsafePointer<UInt8>, Int, UnsafeMutablePointer<UInt64>) -> Void) {
        count = s.count
        words = [UInt64](unsafeUninitializedCapacity: s.count / 64 + 1) { out, initialized in
            if let base = s.baseAddress {
                fill(base, s.count, out.baseAddress!)
            } else {
                out[0] = 0
            }
            initialized = s.count / 64 + 1
        }
    }

    private init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
    }

    /// The bytes of `s` at which the block writer's stretches of plain text end, with these stop
    /// bytes, and the bytes 0x09-0x0D of `s` (what the line splitter looks for), found in one pass
    /// over `s` (`assay_stretch_ends_and_blanks`).
    static func stretchEndsAndBlanks(of s: UnsafeBufferPointer<UInt8>, stops: UInt64, count stopCount: Int32)
        -> (ends: ByteMarks, blanks: ByteMarks) {
        var blanks: [UInt64] = []
        let ends = ByteMarks(s) { p, n, out in
            blanks = [UInt64](unsafeUninitializedCapacity: n / 64 + 1) { blankWords, initialized in
                assay_stretch_ends_and_blanks(p, n, stops, stopCount, out, blankWords.baseAddress!)
                initialized = n / 64 + 1
            }
        }
        if s.baseAddress == nil { blanks = [0] }
        return (ends, ByteMarks(words: blanks, count: s.count))
    }

    /// The first marked byte at or after `i`, or `count` when there is none.
    @inline(__always) func next(from i: Int) -> Int {
        guard i < count else { return count }
        var k = i >> 6
        var w = words[k] & (~0 << UInt64(i & 63))
        while w == 0 {
            k += 1
            if k == words.count { return count }
            w = words[k]
        }
        return k << 6 | w.trailingZeroBitCount
    }
}

/// Ingests one input with the default settings: what `assay text` shows and what tests start from.
public func ingestDocument(source: String, bytes: [UInt8]) throws -> Document {
    var doc = Document(source: source, raw: bytes)
    try IngestStage().process(&doc)
    return doc
}

/// The decoded input text (UTF-8, NFC) a document's source map points into: used to turn a span into
/// the line and column a person sees in their editor.
public func decodedSource(_ bytes: [UInt8]) throws -> [UInt8] {
    Ingestion.toNFC(try TextDecoding.decode(bytes).utf8)
}
