// Writing views atomically: a file under a temporary name renamed into place when complete, and a
// folder built beside its destination and swapped in. Readers never see half an export.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

import AssayCore

/// Views write through the core's atomic file (one implementation, one signal clean-up).
public typealias ViewError = OutputError
public typealias ViewFile = AtomicFile

/// A folder built under `.NAME.PID.tmp` beside `path`; `commit()` puts it in place of `path`.
/// An existing `path` is replaced only when `replaceable` says it may be (so a folder of other
/// files is never deleted by an export).
public final class ViewFolder {
    public let path: String
    public let temporary: String
    private var open = true

    public init(_ path: String, replaceable: (String) -> Bool) throws {
        self.path = path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw ViewError("\(path) exists and is not a folder") }
            let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            guard entries.isEmpty || replaceable(path) else {
                throw ViewError("\(path) is a folder of other files; give a new or empty folder (or one written by assay)")
            }
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        try? fm.removeItem(atPath: temporary)
        do {
            try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw ViewError("cannot create \(temporary): \(error.localizedDescription)")
        }
    }

    /// Path of `name` inside the folder being built.
    public func file(_ name: String) -> String { temporary + "/" + name }

    public func commit() throws {
        guard open else { return }
        open = false
        let fm = FileManager.default
        var old: String?
        if fm.fileExists(atPath: path) {
            let aside = temporary.replacingOccurrences(of: ".tmp", with: ".old", options: [.backwards, .anchored])
            try? fm.removeItem(atPath: aside)
            guard rename(path, aside) == 0 else {
                let why = String(cString: strerror(errno))
                try? fm.removeItem(atPath: temporary)
                throw ViewError("cannot replace \(path): \(why)")
            }
            old = aside
        }
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            if let old { _ = rename(old, path) }
            try? fm.removeItem(atPath: temporary)
            throw ViewError("cannot write \(path): \(why)")
        }
        if let old { try? fm.removeItem(atPath: old) }
    }

    public func abort() {
        guard open else { return }
        open = false
        try? FileManager.default.removeItem(atPath: temporary)
    }

    deinit { abort() }
}
