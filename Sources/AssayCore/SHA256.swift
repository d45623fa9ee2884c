import CSHA256

/// SHA-256 (FIPS 180-4), for document ids derived from content. The rounds are C (Sources/CSHA256)
/// so they can use the CPU's SHA extensions: hashing runs over every input byte.
public enum SHA256 {
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        message.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { assay_sha256(m.baseAddress, m.count, $0.baseAddress) }
        }
        return out
    }

    /// The portable rounds only (what machines without SHA extensions run), for the tests.
    public static func portableDigest(_ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        message.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { assay_sha256_portable(m.baseAddress, m.count, $0.baseAddress) }
        }
        return out
    }

    public static var usesCPUExtensions: Bool { assay_sha256_uses_cpu_extensions() != 0 }

    public static func hex(_ message: [UInt8]) -> String { hexString(digest(message)) }

    public static func hexString(_ digest: [UInt8]) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: digest.count * 2) { out in
            for (i, b) in digest.enumerated() {
                out[2 * i] = digits.utf8Start[Int(b >> 4)]
                out[2 * i + 1] = digits.utf8Start[Int(b & 0xF)]
            }
            return digest.count * 2
        }
    }
}
