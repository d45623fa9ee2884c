import AssayCore
import Citations
import Foundation
import Ingest
@testable import Screening

/// Documents and the stage for the screening tests.
enum Fixtures {
    static let packageRoot: URL = {
        var u = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { u.deleteLastPathComponent() }
        return u
    }()

    static let pipelines = packageRoot.appendingPathComponent("pipelines")

    /// The stage with its default settings and the shipped word lists (loaded once; a broken
    /// word list fails the tests that use it rather than the whole test run).
    static let loaded = Result { try ScreeningStage(context: PipelineContext(baseDirectory: pipelines)) }
    static var stage: ScreeningStage { get throws { try loaded.get() } }

    static func stage(_ values: [String: SettingValue]) throws -> ScreeningStage {
        var settings = StageSettings(file: "test.yaml", stage: "screening", stageLine: 1,
                                     values: values.mapValues { ($0, 2) })
        let s = try ScreeningStage(settings: &settings, context: PipelineContext(baseDirectory: pipelines))
        if let u = settings.unknown.first { throw settings.error(u.key, "unknown setting") }
        return s
    }

    /// A seed article after ingest and the citations stage.
    static func seed(_ prefix: String) throws -> Document {
        let dir = packageRoot.appendingPathComponent("corpus/seeds")
        let name = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().first { $0.hasPrefix(prefix) }!
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
        var d = try ingestDocument(source: "corpus/seeds/\(name)", bytes: bytes)
        try CitationsStage().process(&d)
        return d
    }

    /// The text of a file of `corpus/samples`.
    static func sampleText(_ name: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent("corpus/samples/\(name)"), encoding: .utf8)
    }

    /// A text after ingest and the citations stage, under the source name `source`.
    static func ingested(_ text: String, source: String) throws -> Document {
        var d = try ingestDocument(source: source, bytes: Array(text.utf8))
        try CitationsStage().process(&d)
        return d
    }

    /// Ingests a plain-text article and runs the citations stage on it.
    static func article(_ text: String) throws -> Document {
        var d = try ingestDocument(source: "t.txt", bytes: Array(text.utf8))
        try CitationsStage().process(&d)
        return d
    }

    static func screened(_ d: Document, _ stage: ScreeningStage? = nil) throws -> Document {
        var d = d
        try (stage ?? Fixtures.stage).process(&d)
        return d
    }

    static func clean(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
}
