import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Why a test's folder was not made.
public struct ScratchError: Error, CustomStringConvertible {
    public var description: String
}

/// A fresh folder `<temporary folder>/<prefix>-<name>-<pid>` for one test, removed when the test
/// ends (see `ScratchFolders`). The name is the test's own (tests run in parallel), with the
/// process id (test runs too). Outside a test or suite marked `.scratchFolders` it throws: the
/// folder would be left behind.
public func scratchFolder(_ prefix: String, _ name: String) throws -> String {
    guard let made = ScratchFolders.current else {
        throw ScratchError(description: "a folder for \"\(name)\" outside a test or suite marked .scratchFolders: it would be left behind")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    made.add(dir.path)
    return dir.path
}

/// Removes the folders a test made with `scratchFolder(_:_:)` when it ends, whether it passed,
/// failed or threw, so that test runs leave nothing in the temporary folder. On a suite, it covers
/// each test (and each argument of a parameterized one).
public struct ScratchFolders: TestTrait, SuiteTrait, TestScoping {
    @TaskLocal public static var current: Made?

    public final class Made: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []
        public init() {}
        public func add(_ path: String) { lock.withLock { paths.append(path) } }
        public func list() -> [String] { lock.withLock { paths } }
        func removeAll() {
            for path in list() { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    public init() {}

    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        let made = Made()
        defer { made.removeAll() }
        try await Self.$current.withValue(made) { try await function() }
    }
}

extension Trait where Self == ScratchFolders {
    public static var scratchFolders: Self { Self() }
}
