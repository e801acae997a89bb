import Foundation
import Testing
import TestSupport

/// Inputs a fuzzer crashed on (`fuzz/regressions/TARGET/`) and the seed corpora
/// (`fuzz/corpus/TARGET/`), replayed through the ordinary-build replayer of each fuzz target:
/// the same function libFuzzer calls, with the same oracles, must return for every one.
@Suite("Fuzz regressions and seeds replay cleanly")
struct FuzzRegressionTests {
    static let targets = ["fuzz-receiver", "fuzz-names", "fuzz-openinvm"]

    /// Files in `fuzz/FOLDER/TARGET`, sorted (README files excluded).
    static func inputs(_ folder: String, _ target: String) -> [String] {
        let directory = Programs.projectRoot + "/fuzz/\(folder)/\(target)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { directory + "/" + $0 }
    }

    @Test(arguments: targets)
    func seedCorpusReplays(_ target: String) throws {
        let seeds = Self.inputs("corpus", target)
        #expect(seeds.count >= 10, "seed corpus missing")
        try Self.replay(target, seeds)
    }

    @Test(arguments: targets)
    func regressionsReplay(_ target: String) throws {
        let regressions = Self.inputs("regressions", target)
        #expect(!regressions.isEmpty, "fuzz/regressions/\(target) is missing or empty")
        try Self.replay(target, regressions)
    }

    /// Replays each file in its own run, so a failure names the input.
    static func replay(_ target: String, _ files: [String]) throws {
        for file in files {
            let finished = try run([Programs.path(target), file])
            #expect(finished.status == 0 && !finished.signalled, "\(target) \(file): \(finished.stderr)")
            #expect(String(decoding: finished.stdout, as: UTF8.self) == "replayed \(file)\n")
        }
    }
}
