/// Searches in bytes, for the stages' ASCII fast paths (where a character is a byte, and
/// Foundation's canonical-equivalence search would cost thousands of instructions a call).
public enum ByteSearch {
    /// Whether the bytes of `needle` occur in `haystack`, in a row (an empty needle occurs nowhere).
    @inlinable
    public static func contains<H: Collection, N: Collection>(_ haystack: H, _ needle: N) -> Bool
    where H.Element == UInt8, N.Element == UInt8 {
        guard let first = needle.first, needle.count <= haystack.count else { return false }
        var i = haystack.startIndex
        let last = haystack.index(haystack.endIndex, offsetBy: -needle.count)
        while i <= last {
            if haystack[i] == first && haystack[i...].starts(with: needle) { return true }
            haystack.formIndex(after: &i)
        }
        return false
    }
}
