import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes its result: standard output, or a file that is never
/// silently replaced (an existing one needs `--force`).
///
/// - A regular file (or a new one) is written to a temporary file beside it and
///   renamed into place, so a reader never sees half a report and a failure leaves
///   the old file as it was (the temporary file is removed).
/// - A device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe) is written
///   into, in place: renaming over it would replace the device node itself. Writing
///   into one destroys nothing, so it needs no `--force`.
/// - A symbolic link is never replaced by a file: with `--force` the file it points
///   to is written (and stderr says so); without, it is refused, dangling or not.
struct OutputFile {
    let path: String?
    let force: Bool

    enum Target {
        case standardOutput
        case regular(String)
        case special(String)
    }

    func write(_ text: String) throws { try write(Data(text.utf8)) }

    /// Writes `data` as it is, through the pieces of `write(_:)` (no `Data` made of
    /// it first: that copied a large text once more).
    func write(_ data: some DataProtocol) throws {
        try write { sink in
            for region in data.regions { try region.withUnsafeBytes { try sink($0) } }
        }
    }

    /// Writes what `produce` hands its sink, piece by piece as it is made (a report
    /// of 10⁵ flows is 160 MB: it need never be in memory whole). A file is still
    /// replaced only once all of it is written: if `produce` throws, its error is
    /// thrown as it is and the old file is left as it was; standard output and
    /// devices have what was written before the error.
    func write(_ produce: (_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        switch try OutputFile.target(path, force: force) {
        case .standardOutput:
            try produce { buffer in
                do {
                    try FileHandle.standardOutput.write(contentsOf: buffer)
                } catch {
                    throw UsageFailure("cannot write to standard output: \(OutputFile.reason(error))")
                }
            }
        case .special(let device):
            guard let handle = FileHandle(forWritingAtPath: device) else {
                throw UsageFailure("\(device): cannot open for writing: \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            try produce { buffer in
                do { try handle.write(contentsOf: buffer) } catch {
                    throw UsageFailure("\(device): cannot write: \(OutputFile.reason(error))")
                }
            }
        case .regular(let file):
            try OutputFile.replace(file, with: produce)
        }
    }

    /// Where `path` really writes, after the checks: refuses what would be lost.
    static func target(_ path: String?, force: Bool) throws -> Target {
        guard let path, path != "-" else { return .standardOutput }
        var resolved = path
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            guard force else {
                throw UsageFailure("\(path): is a symbolic link (to \(link)); pass --force to write the file it points to")
            }
            resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            FileHandle.standardError.write(Data("fabricscope: \(path) is a symbolic link: writing \(resolved)\n".utf8))
        }
        var status = stat()
        if lstat(resolved, &status) == 0 {
            if OutputFile.isSpecial(status) { return .special(resolved) }
            if status.st_mode & S_IFMT == S_IFDIR { throw UsageFailure("\(path): is a directory; name a file in it") }
            if !force { throw UsageFailure("\(path): already exists; pass --force to replace it") }
            try refuseUnwritableDirectory(of: resolved, named: path)
            return .regular(resolved)
        }
        let directory = URL(fileURLWithPath: resolved).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageFailure("\(path): the directory \(directory) does not exist")
        }
        try refuseUnwritableDirectory(of: resolved, named: path)
        return .regular(resolved)
    }

    /// A regular file is written beside itself and renamed, so its directory must be
    /// writable: checked before any work (a night's analysis, a run stored in the
    /// history), not found out after it.
    private static func refuseUnwritableDirectory(of file: String, named path: String) throws {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        guard access(directory, W_OK) == 0 else {
            throw UsageFailure("\(path): cannot write in \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// A device, FIFO or socket (written in place, never replaced).
    static func isSpecialFile(_ path: String) -> Bool {
        var status = stat()
        guard path != "-", stat(path, &status) == 0 else { return path == "-" }
        return isSpecial(status)
    }

    private static func isSpecial(_ status: stat) -> Bool {
        let kind = status.st_mode & S_IFMT
        return kind == S_IFCHR || kind == S_IFIFO || kind == S_IFSOCK || kind == S_IFBLK
    }

    /// Checks before any work that `path` may be written (same rules as `write`).
    static func refuseOverwrite(_ path: String, force: Bool) throws {
        _ = try target(path, force: force)
    }

    /// The one check every command makes before any work: no two of its outputs are the
    /// same file, and none would replace a file without `--force` (except those
    /// `replaceable` says are meant to be replaced, such as the textfile collector's).
    /// `outputs` pairs each option's name with its path (nil or "-": standard output).
    static func checkOutputs(
        _ outputs: [(option: String, path: String?)], force: Bool, replaceable: (String) -> Bool = { _ in false }
    ) throws {
        let files = outputs.compactMap { output in output.path.flatMap { $0 == "-" ? nil : (output.option, $0) } }
        for (i, a) in files.enumerated() {
            for b in files[(i + 1)...] where try sameFile(a.1, b.1) {
                throw UsageFailure("\(a.0) and \(b.0) name the same file (\(a.1)); give each its own")
            }
        }
        for (_, path) in files where !replaceable(path) { try refuseOverwrite(path, force: force) }
    }

    /// Whether two output paths end up in the same file (same path, through links
    /// or not, or the same existing inode), so one would overwrite the other.
    static func sameFile(_ a: String?, _ b: String?) throws -> Bool {
        guard let a, let b, a != "-", b != "-" else { return false }
        let (ra, rb) = (URL(fileURLWithPath: a).resolvingSymlinksInPath().standardizedFileURL.path,
                        URL(fileURLWithPath: b).resolvingSymlinksInPath().standardizedFileURL.path)
        if ra == rb { return true }
        var sa = stat(), sb = stat()
        return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// Writes what `produce` makes to a temporary file beside `file` and renames it
    /// into place; on any failure the temporary file is removed.
    private static func replace(_ file: String, with produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let url = URL(fileURLWithPath: file)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).fabricscope-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: temporary) else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw UsageFailure("\(file): cannot write: \(message)")
        }
        do {
            // A failure to write names the file; one of `produce` (a value JSON cannot
            // carry) is its own.
            try produce { buffer in
                do { try handle.write(contentsOf: buffer) } catch {
                    throw UsageFailure("\(file): cannot write: \(reason(error))")
                }
            }
            do { try handle.close() } catch { throw UsageFailure("\(file): cannot write: \(reason(error))") }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, file) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw UsageFailure("\(file): cannot replace: \(message)")
        }
    }

    static func reason(_ error: Error) -> String {
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return (error as NSError).localizedDescription
    }
}

/// A failure the user can fix (bad input, bad arguments): exit status 2, message on stderr.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
