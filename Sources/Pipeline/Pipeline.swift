import AssayCore
import Citations
import Entities
import Foundation
import Ingest
import Screening

/// The stages a pipeline definition may name. A new stage is added here and nowhere else.
public enum StageRegistry {
    public typealias Builder = @Sendable (inout StageSettings, PipelineContext) throws -> any Stage

    public static let builders: [(name: String, build: Builder)] = [
        (IngestStage.name, { try IngestStage(settings: &$0, context: $1) }),
        (EntitiesStage.name, { try EntitiesStage(settings: &$0, context: $1) }),
        (CitationsStage.name, { try CitationsStage(settings: &$0, context: $1) }),
        (ScreeningStage.name, { try ScreeningStage(settings: &$0, context: $1) }),
    ]

    public static var names: [String] { builders.map(\.name) }

    static func builder(_ name: String) -> Builder? { builders.first { $0.name == name }?.build }
}

/// A built pipeline: its stages, ready to process documents on any thread.
public struct Pipeline: Sendable {
    public let file: String
    public let stages: [any Stage]
    /// The largest input ingest accepts: larger files are refused before they are read.
    public let maxInputBytes: Int

    public init(stages: [any Stage], file: String = "(built-in)") {
        self.stages = stages
        self.file = file
        self.maxInputBytes = (stages.first { $0 is IngestStage } as? IngestStage)?.maxBytes ?? (64 << 20)
    }

    /// Reads a definition and builds its stages (gazetteers are compiled here, once per run).
    public static func load(_ path: String) throws -> Pipeline {
        let definition = try PipelineDefinition.load(path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try build(definition, context: PipelineContext(baseDirectory: base))
    }

    public static func build(_ definition: PipelineDefinition, context: PipelineContext) throws -> Pipeline {
        var stages: [any Stage] = []
        for (n, entry) in definition.stages.enumerated() {
            guard let build = StageRegistry.builder(entry.name) else {
                throw ConfigError(file: definition.file, line: entry.line,
                                  message: "unknown stage '\(entry.name)' (known stages: \(StageRegistry.names.joined(separator: ", ")))")
            }
            if n == 0, entry.name != IngestStage.name {
                throw ConfigError(file: definition.file, line: entry.line, message: "the first stage must be 'ingest'")
            }
            if n > 0, entry.name == IngestStage.name {
                throw ConfigError(file: definition.file, line: entry.line, message: "'ingest' can only be the first stage")
            }
            var settings = StageSettings(file: definition.file, stage: entry.name, stageLine: entry.line, values: entry.settings)
            let stage = try build(&settings, context)
            if let unknown = settings.unknown.first {
                throw ConfigError(file: definition.file, line: unknown.line,
                                  message: "unknown setting '\(unknown.key)' for stage '\(entry.name)'")
            }
            stages.append(stage)
        }
        guard !stages.isEmpty else { throw ConfigError(file: definition.file, line: 1, message: "the pipeline has no stages") }
        return Pipeline(stages: stages, file: definition.file)
    }

    /// Runs every stage on one input. Errors about the input come back as `InputError`.
    public func process(source: String, bytes: [UInt8]) -> Result<Document, InputError> {
        var doc = Document(source: source, raw: bytes)
        for stage in stages {
            do {
                try stage.process(&doc)
            } catch let e as InputError {
                return .failure(e)
            } catch {
                return .failure(InputError(.internalError, "stage '\(type(of: stage).name)' failed: \(error)"))
            }
        }
        return .success(doc)
    }
}

/// Where the default pipeline definition is: `pipelines/default.yaml` beside the working directory,
/// or beside the executable's package (so `assay` works from any folder of the checkout).
public func defaultPipelinePath() -> String {
    let fm = FileManager.default
    var candidates: [String] = []
    if let env = ProcessInfo.processInfo.environment["ASSAY_PIPELINE"] { candidates.append(env) }
    candidates.append(fm.currentDirectoryPath + "/pipelines/default.yaml")
    var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
        candidates.append(dir.appendingPathComponent("pipelines/default.yaml").path)
        dir = dir.deletingLastPathComponent()
    }
    return candidates.first { fm.fileExists(atPath: $0) } ?? "pipelines/default.yaml"
}
