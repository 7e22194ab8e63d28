import ArgumentParser

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "placeholder")
    func run() throws {}
}
