import AssayCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One input of a batch: a file to read, or a path that could not be read (reported in order).
public struct InputItem: Sendable, Equatable {
    public var source: String
    public var error: InputError?
    /// A regular file (what `collect` found so): only these are read ahead (`prefetch`), since
    /// opening a device or a fifo can do more than read.
    public var isRegularFile = false

    public init(source: String, error: InputError?, isRegularFile: Bool = false) {
        self.source = source
        self.error = error
        self.isRegularFile = isRegularFile
    }
}

/// Expands the paths given on the command line into files: folders recursively, entries sorted by
/// name, hidden files and folders skipped, symbolic links followed but never round a loop.
public enum InputCollector {
    public static func collect(_ paths: [String]) -> [InputItem] {
        var out: [InputItem] = []
        for path in paths {
            var st = stat()
            if stat(path, &st) != 0 {
                out.append(InputItem(source: path, error: InputError(.unreadable, "cannot read: \(String(cString: strerror(errno)))")))
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                var visited = Set<[UInt64]>()
                walk(path, st, &visited, &out)
            } else {
                out.append(InputItem(source: path, error: nil, isRegularFile: st.st_mode & S_IFMT == S_IFREG))
            }
        }
        return out
    }

    private static func walk(_ dir: String, _ st: stat, _ visited: inout Set<[UInt64]>, _ out: inout [InputItem]) {
        let id = [UInt64(st.st_dev), UInt64(st.st_ino)]
        guard visited.insert(id).inserted else { return }  // a symlink loop, or a folder seen already
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            out.append(InputItem(source: dir, error: InputError(.unreadable, "cannot list the folder")))
            return
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.hasPrefix(".") {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var child = stat()
            if stat(path, &child) != 0 {
                out.append(InputItem(source: path, error: InputError(.unreadable, "cannot read: \(String(cString: strerror(errno)))")))
                continue
            }
            switch child.st_mode & S_IFMT {
            case S_IFDIR: walk(path, child, &visited, &out)
            case S_IFREG: out.append(InputItem(source: path, error: nil, isRegularFile: true))
            default: continue  // sockets, devices, fifos are not documents
            }
        }
    }

    /// Asks the kernel to start reading `item` into its cache without waiting, so that the read of
    /// it, a few documents later, finds it there instead of waiting for the disk. (A corpus read
    /// from a cold cache otherwise waits for every file in turn: 2.86 s against 2.23 s warm for
    /// the 100 MB benchmark corpus on one core.) Failures are left to `read`, which reports them.
    public static func prefetch(_ item: InputItem) {
        guard item.error == nil, item.isRegularFile else { return }
        let fd = open(item.source, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED)
        close(fd)
    }

    /// Reads a file whole, refusing it before reading when it is larger than `limit`.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], InputError> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(InputError(.unreadable, "cannot open: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(InputError(.unreadable, "cannot stat: \(String(cString: strerror(errno)))")) }
        if st.st_mode & S_IFMT == S_IFDIR { return .failure(InputError(.unreadable, "is a folder")) }
        // A pipe or a device has no size to read by (`st_size` is 0): read it to its end.
        if st.st_mode & S_IFMT != S_IFREG { return readToEnd(fd, limit: limit) }
        let size = Int(st.st_size)
        if size > limit {
            return .failure(InputError(.tooLarge, "\(size) bytes is more than the pipeline's ingest.maxBytes (\(limit))"))
        }
        // Read into uninitialized room (no zero-fill pass over every input byte first).
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var got = 0
            while got < size {
                let n = Glibc.read(fd, buffer.baseAddress! + got, size - got)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                got += n
            }
            initialized = got
        }
        if failure != 0 { return .failure(InputError(.unreadable, "read failed: \(String(cString: strerror(failure)))")) }
        return .success(bytes)
    }

    /// Reads `fd` (a pipe or a device) until its end, refusing it once it passes `limit` bytes.
    static func readToEnd(_ fd: Int32, limit: Int) -> Result<[UInt8], InputError> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(InputError(.unreadable, "read failed: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { return .success(bytes) }
            if bytes.count + n > limit {
                return .failure(InputError(.tooLarge, "read past \(limit) bytes, the pipeline's ingest.maxBytes"))
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}

/// Runs `work` on indices 0..<count on `jobs` threads and hands the results to `deliver` in index
/// order on the calling thread. At most `window` results wait to be delivered, so memory depends on
/// the window and the largest item, not on `count`.
public func orderedParallelMap<T: Sendable>(count: Int, jobs: Int, window: Int? = nil,
                                            work: @escaping @Sendable (Int) -> T, deliver: (Int, T) throws -> Void) rethrows {
    if jobs <= 1 || count <= 1 {
        try CrashCleanup.withSignalStack {
            for i in 0..<count { try deliver(i, work(i)) }
        }
        return
    }
    let state = OrderedState<T>(count: count, window: window ?? jobs * 4)
    let group = DispatchGroup()
    for _ in 0..<min(jobs, count) {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            CrashCleanup.withSignalStack {
                while let i = state.take() {
                    state.put(i, work(i))
                }
            }
        }
    }
    for i in 0..<count {
        try deliver(i, state.result(i))
    }
    group.wait()
}

private final class OrderedState<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Int: T] = [:]
    private var next = 0
    private var delivered = 0
    private let count: Int
    private let window: Int

    init(count: Int, window: Int) {
        self.count = count
        self.window = max(1, window)
    }

    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while next < count && next >= delivered + window { condition.wait() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func put(_ i: Int, _ value: T) {
        condition.lock()
        results[i] = value
        condition.broadcast()
        condition.unlock()
    }

    func result(_ i: Int) -> T {
        condition.lock()
        defer { condition.unlock() }
        while results[i] == nil { condition.wait() }
        let v = results.removeValue(forKey: i)!
        delivered = i + 1
        condition.broadcast()
        return v
    }
}
