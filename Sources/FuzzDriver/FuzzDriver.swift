import Foundation

/// What both fuzz targets share: handing control to libFuzzer (built with
/// `-D FUZZING`), or replaying inputs given as files (ordinary builds).
public enum FuzzDriver {
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    #if FUZZING
    /// Runs libFuzzer's driver with the process's arguments. SwiftPM links every
    /// executable with `main` aliased to `<module>_main`, so libFuzzer's own `main` is
    /// not used and each target calls this from its `<module>_main`.
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ callback: Callback) -> CInt {
        var count = argc, arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }
    #endif

    /// Runs `body` once on the contents of each file named on the command line.
    public static func replay(_ name: String, _ body: (Data) -> Void) throws {
        for path in CommandLine.arguments.dropFirst() { body(try Data(contentsOf: URL(fileURLWithPath: path))) }
        print("\(name): replayed \(CommandLine.arguments.count - 1) input(s)")
    }
}

#if FUZZING
/// libFuzzer's entry for programs that bring their own `main` (only in fuzz builds,
/// which link libFuzzer).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzDriver.Callback
) -> CInt
#endif
