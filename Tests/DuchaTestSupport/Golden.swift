import Foundation
import Testing

/// Compares a produced text with the exact text expected. On a mismatch the produced text is
/// written to a file and the first differing line is reported, so the difference can be read.
public enum Golden {
    public static func check(
        _ actual: String, _ expected: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard actual != expected else { return }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ducha-golden-\(name).txt").path
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        let a = actual.components(separatedBy: "\n")
        let e = expected.components(separatedBy: "\n")
        let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        let got = line < a.count ? a[line] : "（无）"
        let want = line < e.count ? e[line] : "（无）"
        Issue.record("文本与预期不同：第 \(line + 1) 行\n实际：\(got)\n预期：\(want)\n完整的实际文本见 \(path)", sourceLocation: sourceLocation)
    }
}

/// The 台账校验码 at the foot of a notice, split from the rest: the record number and the hash
/// depend on the moment the records were written (the server's clock), so golden comparisons
/// take the body and tests check the code against the journal itself.
public enum LedgerCodeFooter {
    public struct Split {
        public var body: String
        public var seq: Int?
        public var hash: String?
    }

    public static func split(_ text: String) -> Split {
        var lines = text.components(separatedBy: "\n")
        while lines.last == "" { lines.removeLast() }
        guard lines.count >= 3, lines[lines.count - 1].hasPrefix("SHA-256 "),
            lines[lines.count - 2].hasPrefix("台账校验码：第"), lines[lines.count - 3] == ""
        else { return Split(body: text, seq: nil, hash: nil) }
        let hash = String(lines[lines.count - 1].dropFirst(8))
        let seq = Int(lines[lines.count - 2].dropFirst(7).prefix { $0.isNumber })
        return Split(body: lines.dropLast(3).joined(separator: "\n") + "\n", seq: seq, hash: hash)
    }

    /// The SHA-256 of the journal's last line (what the code must show), by the system's sha256sum.
    public static func journalHead(_ repo: String) -> String? {
        guard let data = FileManager.default.contents(atPath: repo + "/journal.jsonl"), !data.isEmpty else { return nil }
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        while lines.last == "" { lines.removeLast() }
        guard let last = lines.last else { return nil }
        return sha256(last)
    }

    /// The SHA-256 of `text` in hex, by the system's sha256sum (independent of ducha's own).
    public static func sha256(_ text: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        guard (try? p.run()) != nil else { return nil }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self).split(separator: " ").first.map(String.init)
    }
}
