import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An output that could not be written (a full disk, a folder without write permission).
public struct OutputError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A file written under a temporary name (`.NAME.PID.tmp` beside it) and renamed into place when
/// complete: readers never see half of it, and an interrupted run (Ctrl-C, SIGTERM) removes the
/// temporary file. Dropped without `commit()`, the temporary file is removed too.
public final class AtomicFile {
    public let path: String
    public let temporary: String
    private var handle: UnsafeMutablePointer<FILE>?
    /// Bytes written so far, and how many of them have been handed to the disk (`startWriteback`).
    private var written = 0
    private var handedOver = 0

    public init(_ path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        guard let h = fopen(temporary, "wb") else {
            throw OutputError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        handle = h
        TemporaryFiles.register(temporary)
    }

    public func write(_ bytes: [UInt8]) throws {
        guard let handle else { throw OutputError("\(path) is already closed") }
        guard !bytes.isEmpty else { return }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        if n != bytes.count { throw OutputError("cannot write \(path): \(String(cString: strerror(errno)))") }
        written += n
        if written - handedOver >= Writeback.step { startWriteback(handle) }
    }

    /// Asks the kernel to start writing what is written so far to the disk, without waiting: the
    /// disk then works while the documents after it are processed, and the `fsync` of `commit`
    /// waits only for the last stretch (on a 220 MB output it waited 130 ms for all of it).
    private func startWriteback(_ h: UnsafeMutablePointer<FILE>) {
        guard fflush(h) == 0 else { return }  // (a failing flush is reported by commit's)
        Writeback.start(fileno(h), from: handedOver, count: written - handedOver)
        handedOver = written
    }

    public func write(_ s: String) throws { try write(Array(s.utf8)) }

    /// Flushes, closes and renames into place.
    public func commit() throws {
        guard let h = handle else { return }
        handle = nil
        let ok = fflush(h) == 0 && fsync(fileno(h)) == 0
        fclose(h)
        defer { TemporaryFiles.unregister(temporary) }
        guard ok, rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputError("cannot write \(path): \(why)")
        }
    }

    public func abort() {
        if let h = handle { fclose(h) }
        handle = nil
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let f = try AtomicFile(path)
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

/// Linux's `sync_file_range(SYNC_FILE_RANGE_WRITE)`, which starts writing a stretch of a file to the
/// disk and returns at once (looked up at run time: Glibc's module map leaves the GNU extension
/// out); elsewhere nothing, and `fsync` does all the writing.
enum Writeback {
    /// How many bytes are handed over at a time.
    static let step = 8 << 20

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange: SyncFileRange? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: SyncFileRange.self)
        #else
        return nil
        #endif
    }()

    static func start(_ fd: Int32, from offset: Int, count: Int) {
        let syncFileRangeWrite: UInt32 = 2  // SYNC_FILE_RANGE_WRITE
        _ = syncFileRange?(fd, Int64(offset), Int64(count), syncFileRangeWrite)
    }
}

/// Temporary files to remove if the process is interrupted by SIGINT or SIGTERM.
public enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) static var paths: [UnsafeMutablePointer<CChar>] = []
    nonisolated(unsafe) private static var installed = false

    public static func register(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.append(strdup(path))
        if !installed {
            installed = true
            signal(SIGINT, TemporaryFiles.onSignal)
            signal(SIGTERM, TemporaryFiles.onSignal)
        }
    }

    public static func unregister(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if let i = paths.firstIndex(where: { String(cString: $0) == path }) {
            free(paths[i])
            paths.remove(at: i)
        }
    }

    private static let onSignal: @convention(c) (Int32) -> Void = { sig in
        removeAll()
        _exit(128 + sig)
    }

    /// Removes every temporary file (from a signal handler: unlink is async-signal-safe).
    static func removeAll() {
        for p in TemporaryFiles.paths { unlink(p) }
    }
}
