import FabricWire
import ArgumentParser
import Foundation

/// Runs the command line with tshark's exit-status convention: 0 on success, 2
/// for bad usage or unreadable input, with a message that names the file.
@main
enum Entry {
    static func main() {
        do {
            var command = try FabricScope.parseAsRoot()
            ProcessEnd.keepValuesUntilExit()
            try command.run()
        } catch let failure as any InputFailure {
            fail(failure.description)
        } catch let code as ExitCode {
            // A verdict the user asked to act on (--fail-on-regression): no message.
            exit(code.rawValue)
        } catch {
            let code = FabricScope.exitCode(for: error)
            if code == .success {
                FabricScope.exit(withError: error)
            }
            fail(FabricScope.fullMessage(for: error))
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("fabricscope: " + message + "\n").utf8))
        exit(2)
    }
}
