import AssayCore
import Foundation
import Ingest
@testable import Entities

/// The repository root, found from this file's path.
let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let pipelineContext = PipelineContext(baseDirectory: repoRoot.appendingPathComponent("pipelines"))

/// The stage with the default gazetteers, built once for all tests.
let defaultStage: EntitiesStage = {
    var settings = StageSettings.empty(stage: "entities")
    return try! EntitiesStage(settings: &settings, context: pipelineContext)
}()

/// A document with the given text (no ingest: spans are over exactly these bytes).
func plainDocument(_ text: String) -> Document {
    var d = Document(source: "t", raw: [])
    d.textBytes = Array(text.utf8)
    return d
}

func analyzed(_ text: String, stage: EntitiesStage = defaultStage) -> Document {
    var d = plainDocument(text)
    try! stage.process(&d)
    return d
}

/// The seed articles, ingested.
func seed(_ prefix: String) throws -> Document {
    let dir = repoRoot.appendingPathComponent("corpus/seeds")
    let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix(prefix) }!
    let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
    return try ingestDocument(source: "corpus/seeds/" + name, bytes: bytes)
}

extension Document {
    func entities(_ type: Entity.Kind? = nil) -> [(text: String, key: String?)] {
        entities.filter { type == nil || $0.type == type }.map { (string($0.span), $0.key) }
    }

    /// The key of the first entity whose text is `text`.
    func key(of text: String, nth: Int = 0) -> String? {
        entities.filter { string($0.span) == text }.dropFirst(nth).first?.key
    }

    func entity(_ text: String, nth: Int = 0) -> Entity? {
        entities.filter { string($0.span) == text }.dropFirst(nth).first
    }
}
