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
