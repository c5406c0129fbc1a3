import Foundation

/// The programs tests run (通知程序, editors), written by a child process rather than by the
/// test process: tests run side by side in one process, and a child another test forks while
/// this one holds the file open for writing keeps it open, so that running the file fails with
/// "Text file busy".
public enum Script {
    public struct Failure: Error { public var path: String }

    /// Writes `text` to `path` with `mode` (by `install`, from a staging file that is never run).
    public static func write(_ text: String, to path: String, mode: mode_t = 0o755) throws {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("ducha-script-\(UUID().uuidString)").path
        try text.write(toFile: staging, atomically: false, encoding: .utf8)
        defer { unlink(staging) }
        guard OSAccounts.shell("install -m \(String(mode, radix: 8)) '\(staging)' '\(path)'") == 0 else {
            throw Failure(path: path)
        }
    }
}
