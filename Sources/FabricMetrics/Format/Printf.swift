#if canImport(Glibc)
import Glibc
#endif

/// printf-style formatting of numbers through the C library's `vsnprintf`.
///
/// Why not `String(format:)`: Foundation on Linux parses the format string anew on
/// every call, with a regular expression it also compiles anew; a health report of
/// 100 k links formats a quarter of a million values and spent a third of its time
/// there. The output is the C library's, which is what `String(format:)` promises.
public enum Printf {
    public static func format(_ spec: String, _ values: CVarArg...) -> String {
        withVaList(values) { arguments in
            var buffer = [CChar](repeating: 0, count: 128)
            let needed = Int(vsnprintf(&buffer, buffer.count, spec, arguments))
            if needed >= buffer.count {
                buffer = [CChar](repeating: 0, count: needed + 1)
                _ = withVaList(values) { vsnprintf(&buffer, buffer.count, spec, $0) }
            }
            return String(cString: buffer)
        }
    }
}
