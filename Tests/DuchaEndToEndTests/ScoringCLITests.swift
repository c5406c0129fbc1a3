import DuchaTestSupport
import Foundation
import Testing

/// Scoring from the command line: `config score.…`, `commend`, and `stats` with each unit's
/// breakdown, on a fresh test-clock repository.
@Suite struct ScoringCLITests {
    let dir = TemporaryDirectory("ducha-scoring")
    let repo: String

    init() { repo = TestBackend.repository(dir) }

    @discardableResult
    func ducha(_ args: String..., today: String = "2026-11-02") throws -> Binary.Result {
        try Binary.run(["--repo", repo, "--today", today] + args)
    }

    @discardableResult
    func ok(_ args: String..., today: String = "2026-11-02") throws -> String {
        let r = try Binary.run(["--repo", repo, "--today", today] + args)
        #expect(r.status == 0, "\(args) → \(r.status)：\(r.stderr)")
        return r.stdout
    }

    func setUp() throws {
        let r = try Binary.run(
            ["--repo", repo, "--today", "2026-11-02", "init", "--test-clock", "--office", "青山县委督查室"] + TestBackend.createOptions)
        #expect(r.status == 0, "\(r.stderr)")
        for u in ["城关镇", "县财政局"] { try ok("unit", "add", u) }
        try ok("add", "--title", "路灯整改", "--lead", "城关镇", "--deadline", "2026-11-20", "--source", "领导批示")
        try ok("add", "--title", "市场改造", "--lead", "县财政局", "--deadline", "2026-11-10", "--source", "领导批示")
        try ok("sign", "1", today: "2026-11-03")
        try ok("sign", "2", today: "2026-11-03")
        try ok("complete", "1", "已全部修复", today: "2026-11-10")
        try ok("review", "1", "--approve", today: "2026-11-11")
    }

    @Test func theDefaultStatisticsDoNotChangeAndTheConfiguredOnesShowTheBreakdown() throws {
        try setUp()
        let before = try ok("stats", today: "2026-11-25")
        #expect(before.contains("扣分") && !before.contains("得分") && before.contains("名次按扣分由少到多排列"))
        #expect(try ok("commend", "1", "--note", "县长批示：城关镇工作扎实，予以肯定。", today: "2026-11-12").contains("已记录肯定性批示 督〔2026〕第0001号"))
        // A commendation scores nothing until its rule is set: the statistics read as before.
        #expect(try ok("stats", today: "2026-11-25") == before)
        #expect(try ok("config", "score.base", "100") == "已设置 score.base = 100\n")
        #expect(try ok("config", "score.肯定性批示", "3") == "已设置 score.commend = 3\n")
        try ok("config", "score.ontime", "2")
        let text = try ok("stats", today: "2026-11-25")
        let note = text.replacingOccurrences(of: "\n", with: "")
        #expect(note.contains("得分＝基础分＋加分－扣分") && note.contains("肯定性批示每次加3分"))
        #expect(note.contains("得分相同的，依次按按时办结率"))
        let csv = try ok("stats", "--format", "csv", today: "2026-11-25")
        #expect(csv.contains(",退回次数,基础分,按时办结加分,肯定性批示加分,逾期扣分,得分"))
        #expect(csv.contains("1,城关镇,1,1,1,0,0,0,100.0%,8.0,0,100,2,3,0,105"))
        #expect(csv.contains("2,县财政局,1,0,0,0,1,1,—,—,0,100,0,0,-5,95"))
        let json = try ok("stats", "--format", "json", today: "2026-11-25")
        #expect(json.contains(#""score":{"base":"100","onTime":"2","commend":"3","late":"0","total":"105"}"#))
        // The history shows the mark; config lists the rules.
        #expect(try ok("show", "1").contains("记录肯定性批示：县长批示：城关镇工作扎实，予以肯定。"))
        let config = try ok("config")
        #expect(config.contains("score.base") && config.contains("肯定性批示每次加分") && config.contains("score.remind-free"))
        #expect(try ok("config", "score.commend") == "3\n")
    }

    @Test func badRulesAndUnauthorisedMarksAreRefusedAndNothingIsWritten() throws {
        try setUp()
        let log = try ok("log")
        for (args, message) in [
            (["config", "score.base", "很多"], "基础分有误"), (["config", "score.early", "0.25"], "最多一位小数"),
            (["config", "score.nosuch", "1"], "这一计分项"), (["config", "score.remind-free", "二"], "0 到 99 之间的整数"),
            (["commend", "1"], "--note"), (["commend", "9", "--note", "好"], "9"),
        ] {
            let r = try Binary.run(["--repo", repo, "--today", "2026-11-12"] + args)
            #expect(r.status != 0 && r.stderr.contains(message), "\(args)：\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(try ok("log") == log)
    }
}
