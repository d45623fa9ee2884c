import AssayCore
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
        let source = Ingestion.toNFC(decoded.utf8)
        document.encoding = decoded.encoding
        document.mediaType = MediaSniffer.detect(source, path: document.source)
        let ingested: IngestedText
        switch document.mediaType {
        case .html: ingested = HTMLExtractor.extract(utf8: source)
        case .markdown: ingested = PlainTextNormalizer.normalize(source, markdown: true)
        case .plain: ingested = PlainTextNormalizer.normalize(source, markdown: false)
        }
        document.textBytes = Ingestion.toNFC(ingested.bytes)
        if document.textBytes.count != ingested.bytes.count {
            // NFC composed something the input wrote decomposed inside markup; offsets of blocks no
            // longer hold, so take the composed input as the text source instead (rare).
            document.textBytes = ingested.bytes
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
        var mayChange = false
        for b in utf8 where b >= 0xCC {
            mayChange = true
            break
        }
        guard mayChange else { return utf8 }
        let s = String(decoding: utf8, as: UTF8.self)
        let composed = s.precomposedStringWithCanonicalMapping
        return Array(composed.utf8)
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
