import Foundation

/// A pipeline component: small, named, chosen by the pipeline definition, built once per run
/// (so a gazetteer automaton is compiled once) and then applied to every document, possibly on
/// several threads at once.
public protocol Stage: Sendable {
    /// The name the pipeline definition uses (`ingest`, `entities`, `citations`, ...).
    static var name: String { get }
    /// Reads its settings (each read marks the setting as known) and the data files they name.
    init(settings: inout StageSettings, context: PipelineContext) throws
    /// Reads what earlier stages left in `document` and adds to it.
    func process(_ document: inout Document) throws
}

/// Where a stage finds the data files its settings name (gazetteers, stop lists): relative paths
/// are resolved against the folder of the pipeline definition.
public struct PipelineContext: Sendable {
    public var baseDirectory: URL

    public init(baseDirectory: URL) {
        self.baseDirectory = baseDirectory
    }

    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return baseDirectory.appendingPathComponent(path)
    }
}

/// A value from a pipeline definition, with the line it was written on.
public indirect enum SettingValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([SettingValue])
    case map([String: SettingValue])
}

/// An error in a pipeline definition, naming the file and line.
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
    public var description: String { "\(file):\(line): \(message)" }
}

/// The settings one stage was given. Typed getters mark what the stage knows; whatever is left
/// unread afterwards is an unknown setting, reported with its line.
public struct StageSettings: Sendable {
    public let file: String
    public let stage: String
    public let stageLine: Int
    private var values: [String: (value: SettingValue, line: Int)]
    private var read: Set<String> = []

    public init(file: String, stage: String, stageLine: Int, values: [String: (value: SettingValue, line: Int)]) {
        self.file = file
        self.stage = stage
        self.stageLine = stageLine
        self.values = values
    }

    public static func empty(stage: String) -> StageSettings {
        StageSettings(file: "(built-in)", stage: stage, stageLine: 0, values: [:])
    }

    /// Settings present but never read by the stage.
    public var unknown: [(key: String, line: Int)] {
        values.keys.filter { !read.contains($0) }.sorted().map { ($0, values[$0]!.line) }
    }

    public func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: values[key]?.line ?? stageLine, message: "stage '\(stage)', setting '\(key)': \(message)")
    }

    private mutating func take(_ key: String) -> SettingValue? {
        read.insert(key)
        return values[key]?.value
    }

    public mutating func string(_ key: String, default value: String) throws -> String {
        guard let v = take(key) else { return value }
        guard case .string(let s) = v else { throw error(key, "expected text") }
        return s
    }

    public mutating func optionalString(_ key: String) throws -> String? {
        guard let v = take(key) else { return nil }
        guard case .string(let s) = v else { throw error(key, "expected text") }
        return s
    }

    public mutating func double(_ key: String, default value: Double, in range: ClosedRange<Double>? = nil) throws -> Double {
        guard let v = take(key) else { return value }
        guard case .number(let d) = v else { throw error(key, "expected a number") }
        if let range, !range.contains(d) { throw error(key, "\(d) is outside \(range.lowerBound)...\(range.upperBound)") }
        return d
    }

    public mutating func int(_ key: String, default value: Int, in range: ClosedRange<Int>? = nil) throws -> Int {
        guard let v = take(key) else { return value }
        guard case .number(let d) = v, d == d.rounded(), abs(d) < 1e15 else { throw error(key, "expected a whole number") }
        let i = Int(d)
        if let range, !range.contains(i) { throw error(key, "\(i) is outside \(range.lowerBound)...\(range.upperBound)") }
        return i
    }

    public mutating func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let v = take(key) else { return value }
        guard case .bool(let b) = v else { throw error(key, "expected true or false") }
        return b
    }

    public mutating func strings(_ key: String, default value: [String]) throws -> [String] {
        guard let v = take(key) else { return value }
        if case .string(let s) = v { return [s] }
        guard case .list(let items) = v else { throw error(key, "expected a list of text") }
        return try items.map {
            guard case .string(let s) = $0 else { throw error(key, "expected a list of text") }
            return s
        }
    }

    /// The raw value, for settings with a structure of their own.
    public mutating func value(_ key: String) -> SettingValue? { take(key) }
}
