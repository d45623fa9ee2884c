// Writing views atomically: a file under a temporary name renamed into place when complete, and a
// folder built beside its destination and swapped in. Readers never see half an export.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public struct ViewError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A file written under `.NAME.PID.tmp` beside `path` and renamed into place by `commit()`.
/// Dropped without `commit()`, the temporary file is removed.
public final class ViewFile {
    public let path: String
    public let temporary: String
    private var handle: UnsafeMutablePointer<FILE>?

    public init(_ path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        guard let h = fopen(temporary, "wb") else {
            throw ViewError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        handle = h
    }

    public func write(_ bytes: [UInt8]) throws {
        guard let handle else { throw ViewError("\(path) is already closed") }
        guard !bytes.isEmpty else { return }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        if n != bytes.count { throw ViewError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    public func write(_ s: String) throws { try write(Array(s.utf8)) }

    public func commit() throws {
        guard let h = handle else { return }
        handle = nil
        let ok = fflush(h) == 0 && fsync(fileno(h)) == 0
        fclose(h)
        guard ok, rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw ViewError("cannot write \(path): \(why)")
        }
    }

    public func abort() {
        if let h = handle { fclose(h) }
        handle = nil
        unlink(temporary)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let f = try ViewFile(path)
        do {
            try f.write(bytes)
            try f.commit()
        } catch {
            f.abort()
            throw error
        }
    }

    deinit { if handle != nil { abort() } }
}

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
