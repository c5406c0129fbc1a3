import DuchaTUI
import Foundation
import Testing

/// Writes the screen captures shown in the README (DUCHA_CAPTURES=folder).
@Suite struct ReadmeCaptures {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DUCHA_CAPTURES"] != nil)) func capture() throws {
        let dir = ProcessInfo.processInfo.environment["DUCHA_CAPTURES"]!
        var s = TUIFixtures.state(rows: 26, cols: 100)
        try Renderer.render(s).text.write(toFile: dir + "/dashboard.txt", atomically: true, encoding: .utf8)
        TUIFixtures.type(&s, [.char("2")])
        try Renderer.render(s).text.write(toFile: dir + "/list.txt", atomically: true, encoding: .utf8)
        TUIFixtures.select(&s, "政府债务风险化解方案")
        TUIFixtures.type(&s, [.enter])
        try Renderer.render(s).text.write(toFile: dir + "/detail.txt", atomically: true, encoding: .utf8)
        TUIFixtures.type(&s, [.char("f"), .enter] + TUIFixtures.text("方案已报县委常委会审定"))
        try Renderer.render(s).text.write(toFile: dir + "/feedback.txt", atomically: true, encoding: .utf8)
    }
}
