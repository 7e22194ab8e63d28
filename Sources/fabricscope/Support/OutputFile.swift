import Foundation

/// Where a command writes its result: standard output, or a file that is never
/// silently replaced (an existing file needs `--force`).
struct OutputFile {
    let path: String?
    let force: Bool

    func write(_ text: String) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try OutputFile.refuseOverwrite(path, force: force)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw UsageFailure("\(path): cannot write: \(error.localizedDescription)")
        }
    }

    static func refuseOverwrite(_ path: String, force: Bool) throws {
        if !force, path != "-", FileManager.default.fileExists(atPath: path) {
            throw UsageFailure("\(path): already exists; pass --force to replace it")
        }
    }
}

/// A failure the user can fix (bad input, bad arguments): exit status 2, message on stderr.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
