import AssayCore
import CByteScan

/// What ingest makes of one input: the clean text, where it came from, and its block structure.
public struct IngestedText: Sendable {
    public var bytes: [UInt8]
    public var map: SourceMap
    public var blocks: [Block]
    public var emphasis: [Span]
    public var title: String?

    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// Bytes at which `BlockWriter.write(_:from:to:stoppingAt:)` stops for its caller to decide about.
protocol StopBytes {
    /// How many bytes of `chunk` from `i` on, before `end`, the writer copies as they are: what
    /// `assay_plain_stretch` answers with these stop bytes (`runStarted`: whether text before `i`
    /// is waiting to be copied with them).
    func stretch(_ chunk: UnsafeBufferPointer<UInt8>, from i: Int, to end: Int, runStarted: Bool) -> Int
    func contains(_ b: UInt8) -> Bool
}

/// No stop bytes: plain writing.
struct NoStopBytes: StopBytes {
    @inline(__always) func stretch(_ chunk: UnsafeBufferPointer<UInt8>, from i: Int, to end: Int, runStarted: Bool) -> Int {
        assay_plain_stretch(chunk.baseAddress! + i, end - i, runStarted ? 1 : 0, 0, 0)
    }

    @inline(__always) func contains(_ b: UInt8) -> Bool { false }
}

/// Writes blocks of text one after another, collapsing white space inside a block and putting
/// line breaks between blocks: one between rows of a table or items of a list, two elsewhere.
/// Both normalizers (plain text and HTML) write through it, so blocks and offsets follow one rule.
public struct BlockWriter {
    private var text = TextBuilder()
    private var blocks: [Block] = []
    private var emphasis: [Span] = []
    private var openKind: Block.Kind?
    private var openLevel = 0
    private var openStart = -1  // text offset of the block's first byte, -1 while it has none
    private var openSource = 0
    private var pendingSpace: Int?  // source offset of white space waiting to become one space
    private var pendingTab: Int?
    private var emphasisStart: Int?
    private var emphasisDepth = 0

    public init(capacity: Int = 0) {
        text = TextBuilder(capacity: capacity)
    }

    /// Starts a block (closing the open one).
    public mutating func begin(_ kind: Block.Kind, level: Int = 0, sourceOffset: Int) {
        end()
        openKind = kind
        openLevel = level
        openStart = -1
        openSource = sourceOffset
        pendingSpace = nil
        pendingTab = nil
    }

    /// Room for `count` blocks, so that closing them does not regrow the array.
    mutating func reserveBlocks(_ count: Int) { blocks.reserveCapacity(count) }

    public var isOpen: Bool { openKind != nil }
    public var currentKind: Block.Kind? { openKind }
    /// True when the open block has text.
    public var hasContent: Bool { openStart >= 0 }
    /// The text written so far (for lookbehind decisions such as hyphen repair).
    public var bytesSoFar: [UInt8] { text.bytes }

    /// Appends input text, collapsing runs of white space (including no-break spaces) to one space
    /// and dropping soft hyphens. `sourceOffset` is where `chunk` starts in the decoded input.
    public mutating func write(_ chunk: UnsafeBufferPointer<UInt8>, sourceOffset: Int) {
        _ = write(chunk, from: chunk.startIndex, to: chunk.endIndex, offset: sourceOffset - chunk.startIndex, stoppingAt: NoStopBytes())
    }

    /// Appends the input text `s[from..<to]` (`s` is the whole decoded input) as `write(_:sourceOffset:)`
    /// does, up to the first byte in `stops`; returns where it stopped (`to` when it met none). The
    /// caller's scan for markup and the scan for white space are then one pass over the bytes.
    mutating func write(_ s: UnsafeBufferPointer<UInt8>, from: Int, to: Int, stoppingAt stops: some StopBytes) -> Int {
        write(s, from: from, to: to, offset: 0, stoppingAt: stops)
    }

    /// Text goes to the builder in runs as long as possible: a single space between two words is
    /// copied with them (it would become that same space, mapped to that same input byte), so a
    /// line of prose is usually one run and one source-map segment. The input offset of `chunk[i]`
    /// is `offset + i`.
    @inline(__always)
    private mutating func write(_ chunk: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, offset: Int,
                                stoppingAt stops: some StopBytes) -> Int {
        if openKind == nil { begin(.paragraph, sourceOffset: offset + from) }
        var i = from
        var runStart = i
        while i < end {
            // The bytes copied as they are, and the single spaces between them: what stops the
            // stretch is decided below.
            i += stops.stretch(chunk, from: i, to: end, runStarted: i > runStart)
            guard i < end else { break }
            let b = chunk[i]
            if stops.contains(b) { break }
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == 0x0B {
                flush(chunk, runStart, i, offset)
                if pendingSpace == nil { pendingSpace = offset + i }
                i += 1
                runStart = i
            } else if b == 0xC2, i + 1 < end, chunk[i + 1] == 0xA0 || chunk[i + 1] == 0xAD {
                flush(chunk, runStart, i, offset)
                if chunk[i + 1] == 0xA0, pendingSpace == nil { pendingSpace = offset + i }
                i += 2
                runStart = i
            } else if b == 0xE2, i + 2 < end, chunk[i + 1] == 0x80,
                      chunk[i + 2] == 0x8B || (chunk[i + 2] >= 0x80 && chunk[i + 2] <= 0x8A) || chunk[i + 2] == 0xAF {
                // U+2000-U+200A spaces and U+202F become a space; U+200B (zero width) disappears.
                flush(chunk, runStart, i, offset)
                if chunk[i + 2] != 0x8B, pendingSpace == nil { pendingSpace = offset + i }
                i += 3
                runStart = i
            } else {
                i += 1
            }
        }
        flush(chunk, runStart, i, offset)
        return i
    }

    /// Copies `chunk[from..<to]` after what is pending (block separator, space or tab).
    @inline(__always)
    private mutating func flush(_ chunk: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ offset: Int) {
        guard from < to else { return }
        emitPending()
        text.append(UnsafeBufferPointer(rebasing: chunk[from..<to]), sourceOffset: offset + from)
    }

    public mutating func write(_ bytes: [UInt8], sourceOffset: Int) {
        bytes.withUnsafeBufferPointer { write($0, sourceOffset: sourceOffset) }
    }

    public mutating func write(_ s: String, sourceOffset: Int) {
        write(Array(s.utf8), sourceOffset: sourceOffset)
    }

    /// Asks for a space before the next text (between inline elements, joined lines).
    public mutating func space(sourceOffset: Int) {
        if pendingSpace == nil { pendingSpace = sourceOffset }
    }

    /// Asks for a tab before the next text: the separator of table cells.
    public mutating func cellBreak(sourceOffset: Int) {
        if hasContent, pendingTab == nil { pendingTab = sourceOffset }
    }

    /// Drops a space that was asked for but not yet written (e.g. before a repaired hyphen join).
    public mutating func cancelSpace() { pendingSpace = nil }

    public mutating func beginEmphasis() {
        if emphasisDepth == 0 { emphasisStart = nil }
        emphasisDepth += 1
    }

    public mutating func endEmphasis() {
        guard emphasisDepth > 0 else { return }
        emphasisDepth -= 1
        if emphasisDepth == 0, let s = emphasisStart, s < text.count {
            emphasis.append(Span(s, text.count))
        }
        emphasisStart = nil
    }

    private mutating func emitPending() {
        if openStart < 0 {
            // First text of the block: the separator from the previous block, no leading space.
            if let previous = blocks.last {
                let tight = (previous.kind == .tableRow && openKind == .tableRow)
                    || (previous.kind == .listItem && openKind == .listItem)
                text.appendSynthetic(0x0A, count: tight ? 1 : 2, sourceOffset: openSource)
            }
            openStart = text.count
            pendingSpace = nil
            pendingTab = nil
        } else if let t = pendingTab {
            text.appendSynthetic(0x09, sourceOffset: t)
            pendingTab = nil
            pendingSpace = nil
        } else if let s = pendingSpace {
            text.appendSynthetic(0x20, sourceOffset: s)
            pendingSpace = nil
        }
        if emphasisDepth > 0, emphasisStart == nil { emphasisStart = text.count }
    }

    /// Closes the open block; an empty block leaves nothing behind.
    public mutating func end() {
        guard let kind = openKind else { return }
        if emphasisDepth > 0, let s = emphasisStart, s < text.count { emphasis.append(Span(s, text.count)) }
        emphasisStart = nil
        if openStart >= 0 {
            blocks.append(Block(kind: kind, span: Span(openStart, text.count), level: openLevel))
        }
        openKind = nil
        openStart = -1
        pendingSpace = nil
        pendingTab = nil
    }

    public mutating func finish(title: String? = nil) -> IngestedText {
        end()
        let (bytes, map) = text.finish()
        return IngestedText(bytes: bytes, map: map, blocks: blocks, emphasis: emphasis, title: title)
    }
}
