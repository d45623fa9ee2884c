import AssayCore
import Foundation
import Yams

/// A pipeline definition read from YAML: which stages run, in order, and their settings.
///
/// ```yaml
/// stages:
///   - stage: ingest
///     maxBytes: 67108864
///   - stage: entities
///     gazetteers: [gazetteers/treaties.yaml]
///   - stage: citations
/// ```
/// Every key beside `stage` is a setting of that stage. An unknown stage or setting is an error
/// naming the file and line.
public struct PipelineDefinition: Sendable {
    public struct StageEntry: Sendable {
        public var name: String
        public var line: Int
        public var settings: [String: (value: SettingValue, line: Int)]
    }

    public var file: String
    public var stages: [StageEntry]

    public static func load(_ path: String) throws -> PipelineDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: 0, message: "cannot read the pipeline definition")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: 0, message: "the pipeline definition is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ yaml: String, file: String) throws -> PipelineDefinition {
        let root: Node?
        do {
            // (`.basic`: no tag resolution, which compiles a dozen regular expressions on first use,
            // a third of a small run's start-up; scalars are typed by `value`, not by their tags)
            root = try Yams.compose(yaml: yaml, .basic)
        } catch let e as YamlError {
            throw ConfigError(file: file, line: yamlErrorLine(e), message: "not valid YAML: \(e)")
        }
        guard let root, case .mapping(let top) = root else {
            throw ConfigError(file: file, line: 1, message: "expected a mapping with a 'stages' list")
        }
        var stages: [StageEntry] = []
        var sawStages = false
        for (k, v) in top {
            guard let key = k.string else { continue }
            switch key {
            case "stages":
                sawStages = true
                guard case .sequence(let items) = v else {
                    throw ConfigError(file: file, line: line(v), message: "'stages' must be a list")
                }
                for item in items {
                    stages.append(try stageEntry(item, file: file))
                }
            case "name", "description", "version":
                continue
            default:
                throw ConfigError(file: file, line: line(k), message: "unknown key '\(key)' (expected 'stages', 'name', 'description')")
            }
        }
        guard sawStages else { throw ConfigError(file: file, line: 1, message: "no 'stages' list") }
        return PipelineDefinition(file: file, stages: stages)
    }

    static func stageEntry(_ node: Node, file: String) throws -> StageEntry {
        if let name = node.string, node.scalar != nil {
            return StageEntry(name: name, line: line(node), settings: [:])
        }
        guard case .mapping(let m) = node else {
            throw ConfigError(file: file, line: line(node), message: "a stage is a name or a mapping with 'stage: NAME'")
        }
        var name: String?
        var settings: [String: (value: SettingValue, line: Int)] = [:]
        for (k, v) in m {
            guard let key = k.string else { continue }
            if key == "stage" {
                name = v.string
            } else {
                settings[key] = (try value(v, file: file), line(k))
            }
        }
        guard let name else { throw ConfigError(file: file, line: line(node), message: "a stage needs 'stage: NAME'") }
        return StageEntry(name: name, line: line(node), settings: settings)
    }

    static func value(_ node: Node, file: String) throws -> SettingValue {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                if let b = node.bool { return .bool(b) }
                if let i = node.int { return .number(Double(i)) }
                if let d = node.float { return .number(d) }
            }
            return .string(s.string)
        case .sequence(let seq):
            return .list(try seq.map { try value($0, file: file) })
        case .mapping(let m):
            var out: [String: SettingValue] = [:]
            for (k, v) in m { if let key = k.string { out[key] = try value(v, file: file) } }
            return .map(out)
        case .alias:
            throw ConfigError(file: file, line: line(node), message: "YAML aliases are not supported here")
        }
    }

    static func line(_ node: Node) -> Int { (node.mark?.line ?? 0) }

    static func yamlErrorLine(_ e: YamlError) -> Int {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 0
        }
    }
}
